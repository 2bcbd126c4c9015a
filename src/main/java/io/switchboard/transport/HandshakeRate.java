package io.switchboard.transport;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Handshakes per client IP per second: a token bucket per IP (burst of one second's worth). The
 * table is bounded: a bucket that has refilled to full carries no state and is evicted when room is
 * needed, so an attacker with many addresses costs at most {@code maxTracked} entries. When every
 * tracked IP is active at once, an IP not in the table is refused until some go idle.
 */
final class HandshakeRate {

  /** A full table is swept for idle buckets at most this often, so a flood of new IPs cannot make every handshake scan it. */
  static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final double perSecond;
  private final int maxTracked;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final AtomicLong lastSweep;

  HandshakeRate(int perSecond, int maxTracked, LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.maxTracked = maxTracked;
    this.clock = nanoClock;
    this.lastSweep = new AtomicLong(nanoClock.getAsLong() - SWEEP_INTERVAL_NANOS);
  }

  /** @return 0 when {@code ip} may handshake now, else the whole seconds (at least 1) to wait */
  long acquire(String ip) {
    long now = clock.getAsLong();
    Bucket bucket = buckets.get(ip);
    if (bucket == null) {
      if (buckets.size() >= maxTracked && !sweep(now)) {
        return 1;
      }
      bucket = buckets.computeIfAbsent(ip, k -> new Bucket(perSecond, now));
    }
    return bucket.take(now, perSecond);
  }

  /** Evicts full buckets; false when it could not run yet or freed nothing. */
  private boolean sweep(long now) {
    long last = lastSweep.get();
    if (now - last < SWEEP_INTERVAL_NANOS || !lastSweep.compareAndSet(last, now)) {
      return false;
    }
    buckets.values().removeIf(b -> b.isFull(now, perSecond));
    return buckets.size() < maxTracked;
  }

  int tracked() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized long take(long now, double rate) {
      refill(now, rate);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }

    synchronized boolean isFull(long now, double rate) {
      refill(now, rate);
      return tokens >= rate;
    }

    private void refill(long now, double rate) {
      tokens = Math.min(rate, tokens + (now - updated) * rate / 1e9);
      updated = now;
    }
  }
}
