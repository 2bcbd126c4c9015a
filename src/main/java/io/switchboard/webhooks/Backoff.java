package io.switchboard.webhooks;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th retry waits a random time between 0 and
 * min(max, min * 2^(n-1)), so that nodes retrying a receiver that just came back do not all hit it
 * at the same instant.
 */
record Backoff(long minMs, long maxMs) {

  /** The ceiling of the wait before retry {@code retry} (1 for the first). */
  long ceiling(int retry) {
    long ceiling = minMs;
    for (int i = 1; i < retry && ceiling < maxMs; i++) {
      ceiling *= 2;
    }
    return Math.min(maxMs, ceiling);
  }

  long delay(int retry) {
    return ThreadLocalRandom.current().nextLong(ceiling(retry) + 1);
  }
}
