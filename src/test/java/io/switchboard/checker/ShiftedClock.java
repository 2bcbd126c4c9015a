package io.switchboard.checker;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset the checker sets, the same on every node: retention, idempotency
 * windows and stream expiry then happen in seconds of test time. It only moves forward, as a
 * clock that the stores compare stored times with must.
 */
final class ShiftedClock extends Clock {

  private volatile long offsetMs;

  ShiftedClock(long offsetMs) {
    this.offsetMs = offsetMs;
  }

  /** Sets the offset; a lower one than the current is ignored (time never goes back). */
  synchronized void setOffset(long offsetMs) {
    this.offsetMs = Math.max(this.offsetMs, offsetMs);
  }

  long offset() {
    return offsetMs;
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMs;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
