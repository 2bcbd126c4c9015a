package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/** What one worker counted since its last reset; the coordinator adds up every worker's. */
final class Stats {

  final Histogram latency = new Histogram();
  final AtomicLong received = new AtomicLong();
  /** Messages counted once per (stream, seq): a replayed duplicate would not count. */
  final AtomicLong unique = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  final AtomicLong acked = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong closes = new AtomicLong();
  final AtomicLong reconnected = new AtomicLong();
  final AtomicLong reconnectFailures = new AtomicLong();
  final LongAccumulator firstRecvNs = new LongAccumulator(Math::min, Long.MAX_VALUE);
  final LongAccumulator lastRecvNs = new LongAccumulator(Math::max, 0);
  final LongAccumulator lastReconnectNs = new LongAccumulator(Math::max, 0);

  void onMessage(long sentNanos, boolean fresh) {
    long now = System.nanoTime();
    received.incrementAndGet();
    if (fresh) {
      unique.incrementAndGet();
    } else {
      duplicates.incrementAndGet();
    }
    if (sentNanos != Long.MIN_VALUE) {
      latency.record((now - sentNanos) / 1000);
    }
    firstRecvNs.accumulate(now);
    lastRecvNs.accumulate(now);
  }

  void reset() {
    latency.reset();
    for (AtomicLong a : new AtomicLong[] {received, unique, duplicates, sent, acked, errors, closes, reconnected, reconnectFailures}) {
      a.set(0);
    }
    firstRecvNs.reset();
    lastRecvNs.reset();
    lastReconnectNs.reset();
  }

  JsonObject toJson() {
    return new JsonObject().put("received", received.get()).put("unique", unique.get())
        .put("duplicates", duplicates.get()).put("sent", sent.get()).put("acked", acked.get())
        .put("errors", errors.get()).put("closes", closes.get()).put("reconnected", reconnected.get())
        .put("reconnectFailures", reconnectFailures.get())
        .put("firstRecvNs", firstRecvNs.get() == Long.MAX_VALUE ? 0 : firstRecvNs.get())
        .put("lastRecvNs", lastRecvNs.get()).put("lastReconnectNs", lastReconnectNs.get())
        .put("latency", latency.toJson());
  }
}
