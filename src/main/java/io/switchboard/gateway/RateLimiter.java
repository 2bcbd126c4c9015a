package io.switchboard.gateway;

/** Token bucket over client frames: {@code perSecond} sustained, {@code burst} at once. */
final class RateLimiter {

  private final double perMs;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(int perSecond, int burst, long nowMs) {
    this.perMs = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowMs;
  }

  boolean tryAcquire(long nowMs) {
    if (nowMs > last) {
      tokens = Math.min(burst, tokens + (nowMs - last) * perMs);
      last = nowMs;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
