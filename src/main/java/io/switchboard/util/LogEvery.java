package io.switchboard.util;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One log line per interval for something that recurs (a backend that fails every call, a full
 * queue), saying how often it happened since the last line, instead of a line per occurrence that
 * would bury the log. The first occurrence is logged at once. Thread-safe.
 */
public final class LogEvery {

  private final long intervalNanos;
  private final AtomicLong lastLine;
  private final AtomicLong sinceLine = new AtomicLong();

  public LogEvery(long interval, TimeUnit unit) {
    this.intervalNanos = unit.toNanos(interval);
    this.lastLine = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /**
   * Counts {@code n} occurrences; when a line is due, writes it with {@code line}, given how many
   * occurred since the previous line (these included).
   */
  public void record(long n, LongConsumer line) {
    long total = sinceLine.addAndGet(n);
    long now = System.nanoTime();
    long before = lastLine.get();
    if (now - before >= intervalNanos && lastLine.compareAndSet(before, now)) {
      sinceLine.addAndGet(-total);
      line.accept(total);
    }
  }
}
