package io.switchboard.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/** Node-to-node transport of deliveries: reaches every node that has a consumer for the stream. */
public interface StreamBus {

  /** Takes what other nodes send to this one; the node starts once it completes. */
  default Future<Void> start() {
    return Future.succeededFuture();
  }

  /** To the stream's consumers, or, for a {@linkplain Delivery#control() control} delivery, to every node. */
  void publish(Delivery delivery);

  /**
   * Registers a consumer for the stream on the caller's context. The future completes once the
   * registration is recorded; publishers on other nodes may still miss it for a moment (see
   * {@link #learnsConsumersLate()}). When it fails, nothing of it is left registered.
   */
  Future<Subscription> subscribe(String stream, Handler<Delivery> handler);

  /** Registers a consumer of control deliveries on the caller's context. */
  Future<Subscription> subscribeControl(Handler<Delivery> handler);

  /**
   * Whether publishers on other nodes learn of a new consumer some time after its registration
   * completed (the clustered bus), so that a new subscriber should read the stream's head itself a
   * moment later.
   */
  boolean learnsConsumersLate();

  /**
   * Whether deliveries to a user stream go to the nodes presence counts the user's sessions on
   * ({@link RoutedStreamBus}): a session's user stream is then reached from other nodes only once
   * presence counts it, and its head must be read after that.
   */
  default boolean routesUsersByPresence() {
    return false;
  }

  interface Subscription {
    Future<Void> cancel();
  }
}
