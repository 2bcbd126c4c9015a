package io.switchboard.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;

/** Node-to-node transport of deliveries: reaches every node that has a consumer for the stream. */
public interface StreamBus {

  void publish(Delivery delivery);

  /**
   * Registers a consumer for the stream on the caller's context. The future completes once the
   * registration is visible to publishers (cluster-wide when clustered), so nothing published after
   * it completes can be missed.
   */
  Future<Subscription> subscribe(String stream, Handler<Delivery> handler);

  interface Subscription {
    Future<Void> cancel();
  }
}
