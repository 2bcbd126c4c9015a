package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  @Test
  void ceilingsDoubleFromTheBaseUpToTheCap() {
    long[] expected = {1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000};
    for (int n = 0; n < expected.length; n++) {
      assertEquals(expected[n], Backoff.ceiling(n, 1000, 10000), "attempt " + n);
    }
    assertEquals(10000, Backoff.ceiling(10_000, 1000, 10000), "no overflow on a huge attempt count");
    assertEquals(1000, Backoff.ceiling(-3, 1000, 10000), "a negative attempt counts as the first");
  }

  @Test
  void delaysStayInsideZeroToTheCeiling() {
    for (int n = 0; n < 70; n++) {
      long c = Backoff.ceiling(n, 1000, 10000);
      assertEquals(0, Backoff.delay(n, 1000, 10000, 0.0));
      assertEquals(c - 1, Backoff.delay(n, 1000, 10000, 0.9999999999));
      assertEquals(c - 1, Backoff.delay(n, 1000, 10000, 1.0), "random 1.0 still below the ceiling");
      assertEquals(0, Backoff.delay(n, 1000, 10000, -5), "a bad random is clamped");
    }
  }

  /** Full jitter: uniform over [0, ceiling), so a crowd spreads over the whole window. */
  @Test
  void delaysAreUniformOverTheWindow() {
    Random r = new Random(42);
    int samples = 20_000;
    int[] deciles = new int[10];
    double sum = 0;
    for (int i = 0; i < samples; i++) {
      long d = Backoff.delay(3, 1000, 10000, r.nextDouble());
      assertTrue(d >= 0 && d < 8000, "delay " + d + " outside [0, 8000)");
      deciles[(int) (d / 800)]++;
      sum += d;
    }
    double mean = sum / samples;
    assertTrue(Math.abs(mean - 4000) < 120, "mean " + mean + " is not about half the ceiling");
    for (int i = 0; i < 10; i++) {
      assertTrue(deciles[i] > samples / 10 * 0.9 && deciles[i] < samples / 10 * 1.1,
          "decile " + i + " holds " + deciles[i] + " of " + samples);
    }
  }

  @Test
  void theCapBoundsEveryDelay() {
    Random r = new Random(7);
    long max = 0;
    for (int i = 0; i < 5000; i++) {
      max = Math.max(max, Backoff.delay(5 + i % 40, 1000, 10000, r.nextDouble()));
    }
    assertTrue(max < 10000 && max > 9900, "largest of 5000 capped delays: " + max);
  }
}
