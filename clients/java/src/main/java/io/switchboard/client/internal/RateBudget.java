package io.switchboard.client.internal;

/**
 * The client's own token bucket for requests and acks, below the node's limit (100/s, bursts of 200):
 * a long outbox flushed after a reconnect must not be cut off with 4429.
 */
final class RateBudget {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long at;

  RateBudget(double perSecond, double burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  void reset(long now) {
    tokens = burst;
    at = now;
  }

  boolean take(long now) {
    tokens = Math.min(burst, tokens + (now - at) * perSecond / 1000.0);
    at = now;
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }

  /** How long until one token is there. */
  long waitMs() {
    return (long) Math.ceil(1000.0 / perSecond);
  }
}
