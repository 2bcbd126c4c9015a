package io.switchboard.routing;

import io.switchboard.protocol.StreamName;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link StreamBus} of a clustered node that routes user streams by presence instead of by
 * event-bus registrations.
 *
 * <p>A clustered event-bus consumer costs every member of the cluster work when it comes and goes
 * (Vert.x records it in a Hazelcast multimap whose entry events reach every member), and a user
 * stream's consumer comes and goes with every connect and disconnect: connect capacity would not
 * grow with nodes. The presence registry already records, for each user, the nodes holding their
 * sessions, written once per connect whatever the cluster size. So a user stream's consumer is
 * local to its node, and a delivery to {@code user:X} goes to the inbox of each node presence names
 * for X (one clustered consumer per node, registered at start). Room streams and {@code all} keep
 * clustered consumers: they are registered once per event loop that follows them, not per connect.
 *
 * <p>What a lookup misses (a session counted after it started, presence lost in a split) is in the
 * log: the hello reads the user stream's head only once presence counts the session, and the head
 * sweep repairs the rest. Deliveries of one stream leave in the order they were published, whatever
 * order their lookups answer in.
 */
public final class RoutedStreamBus implements StreamBus {

  private final EventBus bus;
  private final String nodeId;
  private final UserLocator locator;
  private final ConcurrentHashMap<String, Future<Set<String>>> tails = new ConcurrentHashMap<>();
  private final Runnable lookupFailed;
  private final LocalStreams local = new LocalStreams();
  private MessageConsumer<Delivery> inbox;

  /** @param lookupFailed counts deliveries whose lookup failed (not sent to other nodes) */
  public RoutedStreamBus(Vertx vertx, String nodeId, UserLocator locator, Runnable lookupFailed) {
    this.bus = vertx.eventBus();
    this.nodeId = nodeId;
    this.locator = locator;
    this.lookupFailed = lookupFailed;
    DeliveryCodec.register(bus);
  }

  /** Starts taking the deliveries other nodes route to this one. */
  @Override
  public Future<Void> start() {
    inbox = bus.consumer(Addresses.inbox(nodeId), m -> local.deliver(m.body()));
    return inbox.completion();
  }

  @Override
  public void publish(Delivery delivery) {
    if (delivery.control()) {
      bus.publish(Addresses.CONTROL, delivery);
    } else if (StreamName.kindOf(delivery.stream()) == StreamName.Kind.USER) {
      route(delivery, StreamName.idOf(delivery.stream()));
    } else {
      bus.publish(Addresses.stream(delivery.stream()), delivery);
    }
  }

  private void route(Delivery delivery, String user) {
    String stream = delivery.stream();
    // this node's own sessions need no lookup (and get it even while the registry does not answer)
    local.deliver(delivery);
    Future<Set<String>> where = locator.nodesOf(user);
    Future<Set<String>> inOrder = tails.compute(stream, (k, before) -> before == null ? where : before.transform(ar -> where));
    inOrder.onComplete(ar -> {
      tails.remove(stream, inOrder);
      if (ar.failed()) {
        // not delivered live: the sessions find it in the log by the head sweep
        lookupFailed.run();
        return;
      }
      for (String node : ar.result()) {
        if (!node.equals(nodeId)) {
          bus.send(Addresses.inbox(node), delivery);
        }
      }
    });
  }

  @Override
  public Future<Subscription> subscribe(String stream, Handler<Delivery> handler) {
    if (StreamName.kindOf(stream) == StreamName.Kind.USER) {
      Runnable remove = local.add(stream, handler);
      return Future.succeededFuture(() -> {
        remove.run();
        return Future.succeededFuture();
      });
    }
    return EventBusStreamBus.registered(bus.consumer(Addresses.stream(stream), m -> handler.handle(m.body())));
  }

  @Override
  public Future<Subscription> subscribeControl(Handler<Delivery> handler) {
    return EventBusStreamBus.registered(bus.consumer(Addresses.CONTROL, m -> handler.handle(m.body())));
  }

  /** Room streams are still clustered consumers, learned late by the other nodes. */
  @Override
  public boolean learnsConsumersLate() {
    return true;
  }

  @Override
  public boolean routesUsersByPresence() {
    return true;
  }
}
