package io.switchboard.routing;

import io.switchboard.protocol.StreamName;
import io.vertx.core.Future;
import io.vertx.core.Handler;

/** Node-to-node transport of deliveries: reaches every node that has a consumer for the stream. */
public interface StreamBus {

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
   * Whether publishers on other nodes learn of a new consumer of the stream some time after its
   * registration completed (the clustered bus's registration table), so that a new subscriber
   * should read the stream's head itself a moment later.
   */
  boolean learnsConsumersLate(String stream);

  /**
   * Whether deliveries to a user stream go only to the nodes presence counts the user's sessions on
   * (cluster.PresenceNodeSelector): other nodes reach a session's user stream once presence counts
   * the session, so its head is read after that, and no later check is needed.
   */
  default boolean routesUsersByPresence() {
    return false;
  }

  /**
   * Whether a message published just after a new consumer of the stream read its head may still
   * miss that consumer: publishers that learn of consumers late ({@link #learnsConsumersLate}), or
   * a user stream routed by an answer looked up before the session was counted
   * (cluster.RecentRoutes). Such a consumer reads the head again a moment later.
   */
  default boolean mayMissNewConsumer(String stream) {
    return learnsConsumersLate(stream)
        || routesUsersByPresence() && StreamName.kindOf(stream) == StreamName.Kind.USER;
  }

  interface Subscription {
    Future<Void> cancel();
  }
}
