package io.switchboard.client.java;

import java.util.Random;

/** The backoff's jitter pinned, so that a test knows when a client would retry on its own. */
final class Jitter {

  private Jitter() {
  }

  /** A Random whose every draw is {@code fraction}: each delay is that fraction of its ceiling. */
  static Random fixed(double fraction) {
    return new Random() {
      @Override
      public double nextDouble() {
        return fraction;
      }
    };
  }
}
