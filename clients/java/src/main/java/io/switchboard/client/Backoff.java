package io.switchboard.client;

/**
 * Exponential backoff with full jitter: attempt n (0 = first retry) waits a random time in
 * [0, min(cap, base × 2ⁿ)). Full jitter spreads a crowd of clients reconnecting after an outage the
 * most for the total wait.
 */
public final class Backoff {
  private Backoff() {
  }

  /**
   * @param attempt 0 for the first retry
   * @param random a number in [0, 1)
   * @return the delay in ms, in [0, ceiling)
   */
  public static long delay(int attempt, long baseMs, long capMs, double random) {
    long ceiling = ceiling(attempt, baseMs, capMs);
    double r = Math.min(Math.max(random, 0), 1);
    return Math.min((long) Math.floor(r * ceiling), Math.max(0, ceiling - 1));
  }

  /** min(cap, base × 2ⁿ), without overflow. */
  public static long ceiling(int attempt, long baseMs, long capMs) {
    int n = Math.min(Math.max(0, attempt), 62);
    long c = baseMs;
    for (int i = 0; i < n && c < capMs; i++) {
      c *= 2;
    }
    return Math.min(capMs, c);
  }
}
