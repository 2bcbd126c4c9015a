package io.switchboard.checker;

import io.switchboard.routing.Delivery;
import io.switchboard.routing.StreamBus;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's event-bus transport with losses the checker asks for: the next n stored-message
 * deliveries of a stream (or control deliveries) vanish when this node publishes them, or when they
 * reach this node; the next n registrations of a stream fail. Counting per target, not by chance,
 * is what makes a seed's fault land on the same message every run.
 */
final class FaultBus implements StreamBus {

  /** Target name for control deliveries (JOINED, LEFT, KICK) in the maps below. */
  static final String CONTROL = "control";

  private final StreamBus inner;
  private final Map<String, AtomicInteger> dropOnPublish = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> dropOnDelivery = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failSubscribe = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  FaultBus(StreamBus inner) {
    this.inner = inner;
  }

  void dropPublished(String target, int n) {
    dropOnPublish.computeIfAbsent(target, t -> new AtomicInteger()).addAndGet(n);
  }

  void dropDelivered(String target, int n) {
    dropOnDelivery.computeIfAbsent(target, t -> new AtomicInteger()).addAndGet(n);
  }

  void failSubscribe(String stream, int n) {
    failSubscribe.computeIfAbsent(stream, t -> new AtomicInteger()).addAndGet(n);
  }

  void clear() {
    dropOnPublish.clear();
    dropOnDelivery.clear();
    failSubscribe.clear();
  }

  /** "dropped=<n> failed=<n> pending=<what is still armed>", for the checker's trace. */
  String stats() {
    return "dropped=" + dropped.get() + " failed=" + failed.get() + " pending=" + armed(dropOnPublish, "publish")
        + armed(dropOnDelivery, "deliver") + armed(failSubscribe, "subscribe");
  }

  private static String armed(Map<String, AtomicInteger> m, String what) {
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> {
      if (v.get() > 0) {
        b.append(what).append(':').append(k).append('=').append(v.get()).append(',');
      }
    });
    return b.toString();
  }

  @Override
  public boolean routesUsersByPresence() {
    return inner.routesUsersByPresence();
  }

  @Override
  public void publish(Delivery d) {
    if (take(dropOnPublish, target(d))) {
      return;
    }
    inner.publish(d);
  }

  @Override
  public Future<Subscription> subscribe(String stream, Handler<Delivery> handler) {
    if (take(failSubscribe, stream)) {
      failed.incrementAndGet();
      return Future.failedFuture("checker: registration of " + stream + " failed on purpose");
    }
    return inner.subscribe(stream, d -> {
      if (!take(dropOnDelivery, target(d))) {
        handler.handle(d);
      }
    });
  }

  @Override
  public Future<Subscription> subscribeControl(Handler<Delivery> handler) {
    return inner.subscribeControl(d -> {
      if (!take(dropOnDelivery, target(d))) {
        handler.handle(d);
      }
    });
  }

  @Override
  public boolean learnsConsumersLate(String stream) {
    return inner.learnsConsumersLate(stream);
  }

  /**
   * Stored messages count by their stream, control deliveries as {@link #CONTROL}; presence and
   * transient frames are never dropped (they are best effort by contract, and dropping one instead
   * of the message a scenario aims at would make the fault miss).
   */
  private static String target(Delivery d) {
    if (d.control()) {
      return CONTROL;
    }
    return d.ordered() ? d.stream() : null;
  }

  private boolean take(Map<String, AtomicInteger> counters, String target) {
    if (target == null) {
      return false;
    }
    AtomicInteger left = counters.get(target);
    if (left == null) {
      return false;
    }
    while (true) {
      int n = left.get();
      if (n <= 0) {
        return false;
      }
      if (left.compareAndSet(n, n - 1)) {
        if (counters != failSubscribe) {
          dropped.incrementAndGet();
        }
        return true;
      }
    }
  }
}
