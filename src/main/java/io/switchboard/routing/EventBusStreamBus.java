package io.switchboard.routing;

import io.switchboard.protocol.StreamName;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;


/** {@link StreamBus} on the Vert.x event bus: local when standalone, Hazelcast-backed when clustered. */
public final class EventBusStreamBus implements StreamBus {

  private final EventBus bus;
  private final boolean clustered;
  private final boolean usersByPresence;

  public EventBusStreamBus(Vertx vertx) {
    this(vertx, false);
  }

  /**
   * @param usersByPresence whether the cluster routes user stream addresses by presence
   *                        (cluster.PresenceNodeSelector) rather than by Vert.x's registration table
   */
  public EventBusStreamBus(Vertx vertx, boolean usersByPresence) {
    this.bus = vertx.eventBus();
    this.clustered = vertx.isClustered();
    this.usersByPresence = usersByPresence;
    try {
      bus.registerDefaultCodec(Delivery.class, new DeliveryCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second node verticle in the same Vert.x instance: the codec is already there
    }
  }

  @Override
  public void publish(Delivery delivery) {
    bus.publish(delivery.control() ? Addresses.CONTROL : Addresses.stream(delivery.stream()), delivery);
  }

  @Override
  public Future<Subscription> subscribe(String stream, Handler<Delivery> handler) {
    return consume(Addresses.stream(stream), handler);
  }

  @Override
  public Future<Subscription> subscribeControl(Handler<Delivery> handler) {
    return consume(Addresses.CONTROL, handler);
  }

  /**
   * A clustered node learns of another node's new consumer through a Hazelcast entry event, some
   * milliseconds after the registration completed, more under load. A user stream routed by
   * presence is reachable once presence counts the session, which the hello waits for.
   */
  @Override
  public boolean learnsConsumersLate(String stream) {
    return clustered && !(usersByPresence && StreamName.kindOf(stream) == StreamName.Kind.USER);
  }

  @Override
  public boolean routesUsersByPresence() {
    return usersByPresence;
  }

  /** A registration that failed in the cluster (a migration, a partition) is removed locally too. */
  private Future<Subscription> consume(String address, Handler<Delivery> handler) {
    MessageConsumer<Delivery> consumer = bus.consumer(address, m -> handler.handle(m.body()));
    return consumer.completion()
        .recover(e -> consumer.unregister().transform(ar -> Future.failedFuture(e)))
        .map(v -> consumer::unregister);
  }
}
