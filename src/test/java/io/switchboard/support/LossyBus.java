package io.switchboard.support;

import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The node's real bus transport, losing what a test tells it to: publishes that never leave the
 * node (a delivery lost in transit), and subscriptions that fail (a registration refused by the
 * cluster). Wired in with {@code NodeParts.withBus(lossy::wrap)}.
 */
public final class LossyBus {

  private record Drop(Predicate<Delivery> match, AtomicInteger left) {
  }

  private final List<Drop> drops = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
  private final AtomicInteger dropped = new AtomicInteger();
  private volatile boolean learnsLate;

  /** The next {@code count} publishes that match are lost. */
  public LossyBus drop(Predicate<Delivery> match, int count) {
    drops.add(new Drop(match, new AtomicInteger(count)));
    return this;
  }

  /** The next {@code count} subscriptions to {@code stream} fail, as a cluster refusing them would. */
  public LossyBus failSubscribe(String stream, int count) {
    refusals.put(stream, new AtomicInteger(count));
    return this;
  }

  /**
   * The bus says publishers learn of new consumers late, as a clustered bus does, so the node takes
   * the steps that catch what such a publisher misses; {@link #drop} plays the publisher that missed.
   */
  public LossyBus learnsConsumersLate() {
    learnsLate = true;
    return this;
  }

  /** Publishes lost so far. */
  public int dropped() {
    return dropped.get();
  }

  public StreamBus wrap(StreamBus real) {
    return new StreamBus() {
      @Override
      public void publish(Delivery delivery) {
        for (Drop d : drops) {
          if (d.match().test(delivery) && take(d.left())) {
            dropped.incrementAndGet();
            return;
          }
        }
        real.publish(delivery);
      }

      @Override
      public Future<Subscription> subscribe(String stream, Handler<Delivery> handler) {
        AtomicInteger left = refusals.get(stream);
        if (left != null && take(left)) {
          return Future.failedFuture("registration of " + stream + " refused by the test");
        }
        return real.subscribe(stream, handler);
      }

      @Override
      public Future<Subscription> subscribeControl(Handler<Delivery> handler) {
        return real.subscribeControl(handler);
      }

      @Override
      public boolean learnsConsumersLate(String stream) {
        return learnsLate || real.learnsConsumersLate(stream);
      }

      @Override
      public boolean routesUsersByPresence() {
        return real.routesUsersByPresence();
      }
    };
  }

  private static boolean take(AtomicInteger left) {
    return left.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }
}
