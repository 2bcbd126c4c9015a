package io.switchboard.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;

/** Node-to-node transport of deliveries: reaches every node that has a consumer for the stream. */
public interface StreamBus {

  /** To the stream's consumers, or, for a {@linkplain Delivery#control() control} delivery, to every node. */
  void publish(Delivery delivery);

  /**
   * Registers a consumer for the stream on the caller's context. The future completes once the
   * registration is recorded; publishers on other nodes may still miss it for a moment (see
   * {@link #recheckAfterMs()}).
   */
  Future<Subscription> subscribe(String stream, Handler<Delivery> handler);

  /** Registers a consumer of control deliveries on the caller's context. */
  Future<Subscription> subscribeControl(Handler<Delivery> handler);

  /**
   * Delays after a subscription completes at which its subscriber should read the stream's head
   * itself, because a publisher may not have seen the subscription yet. Empty when registration is
   * seen by every publisher at once.
   */
  List<Long> recheckAfterMs();

  interface Subscription {
    Future<Void> cancel();
  }
}
