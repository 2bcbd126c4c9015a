package io.switchboard.routing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

/** {@link StreamBus} on the Vert.x event bus: local when standalone, Hazelcast-backed when clustered. */
public final class EventBusStreamBus implements StreamBus {

  private final EventBus bus;

  public EventBusStreamBus(Vertx vertx) {
    this.bus = vertx.eventBus();
    try {
      bus.registerDefaultCodec(Delivery.class, new DeliveryCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second node verticle in the same Vert.x instance: the codec is already there
    }
  }

  @Override
  public void publish(Delivery delivery) {
    bus.publish(Addresses.stream(delivery.stream()), delivery);
  }

  @Override
  public Future<Subscription> subscribe(String stream, Handler<Delivery> handler) {
    MessageConsumer<Delivery> consumer = bus.consumer(Addresses.stream(stream), m -> handler.handle(m.body()));
    return consumer.completion().map(v -> consumer::unregister);
  }
}
