package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, log-linear buckets (64 per power of two: under 1.6% error), fixed size
 * whatever the count, so that every worker can send its whole histogram to the coordinator to merge.
 * Thread-safe: the event loops of a worker record into one instance.
 */
public final class Histogram {

  private static final int SUB = 64;
  private static final int SUB_BITS = 6;
  private static final int SIZE = SUB + (SUB / 2) * 40; // up to 2^45 us
  private final AtomicLongArray counts = new AtomicLongArray(SIZE);

  public void record(long micros) {
    counts.incrementAndGet(index(Math.max(0, micros)));
  }

  static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int power = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
    int shift = power - SUB_BITS + 1;
    int sub = (int) (v >>> shift); // SUB/2 .. SUB-1
    int idx = shift * (SUB / 2) + sub;
    return Math.min(idx, SIZE - 1);
  }

  /** The upper bound of a bucket, in microseconds. */
  static long valueOf(int idx) {
    if (idx < SUB) {
      return idx;
    }
    int shift = (idx - SUB / 2) / (SUB / 2);
    int sub = idx - shift * (SUB / 2);
    return ((long) sub << shift) + (1L << shift) - 1;
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < counts.length(); i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The value at quantile q (0..1) in microseconds, or 0 when empty. */
  public long quantile(double q) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= Math.max(1, rank)) {
        return valueOf(i);
      }
    }
    return valueOf(counts.length() - 1);
  }

  public void reset() {
    for (int i = 0; i < counts.length(); i++) {
      counts.set(i, 0);
    }
  }

  public void merge(Histogram other) {
    for (int i = 0; i < counts.length(); i++) {
      long c = other.counts.get(i);
      if (c != 0) {
        counts.addAndGet(i, c);
      }
    }
  }

  /** Sparse form: [[index, count], ...]. */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (int i = 0; i < counts.length(); i++) {
      long c = counts.get(i);
      if (c != 0) {
        out.add(new JsonArray().add(i).add(c));
      }
    }
    return out;
  }

  public static Histogram fromJson(JsonArray sparse) {
    Histogram h = new Histogram();
    if (sparse != null) {
      for (int i = 0; i < sparse.size(); i++) {
        JsonArray e = sparse.getJsonArray(i);
        h.counts.addAndGet(e.getInteger(0), e.getLong(1));
      }
    }
    return h;
  }

  /** p50/p99/p999/max in milliseconds, as the report shows them. */
  public JsonObject summaryMs() {
    return new JsonObject().put("count", count())
        .put("p50", quantile(0.50) / 1000.0).put("p90", quantile(0.90) / 1000.0)
        .put("p99", quantile(0.99) / 1000.0).put("p999", quantile(0.999) / 1000.0)
        .put("max", quantile(1.0) / 1000.0);
  }
}
