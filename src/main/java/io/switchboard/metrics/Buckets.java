package io.switchboard.metrics;

import java.time.Duration;
import java.util.Arrays;

/** Fixed histogram buckets, written in milliseconds. */
public final class Buckets {

  private Buckets() {
  }

  public static Duration[] millis(double... bounds) {
    return Arrays.stream(bounds).mapToObj(ms -> Duration.ofNanos((long) (ms * 1_000_000))).toArray(Duration[]::new);
  }
}
