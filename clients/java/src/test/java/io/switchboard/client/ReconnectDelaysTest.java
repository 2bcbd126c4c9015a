package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default reconnect policy, as a client with nothing but a URL and a token lives it: every
 * attempt refused, the delays double from 1 s and stop at the JavaScript client's 10 s cap
 * (docs/client-js.md, "The backoff cap"), drawn with full jitter.
 */
class ReconnectDelaysTest {

  @Test
  void delaysOfAClientWithDefaultSettingsStopAtTenSeconds() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    // 0 for the first six draws, so those retries follow at once; then the top of the window
    double[] draws = {0, 0, 0, 0, 0, 0, 0.9999};
    List<StateChange> offline = new CopyOnWriteArrayList<>();
    CountDownLatch allSeen = new CountDownLatch(draws.length);
    SwitchboardClient client = SwitchboardClient.builder("ws://127.0.0.1:" + closedPort + "/ws")
        .token("opaque-token")
        .random(new Random() {
          private int next;

          @Override
          public synchronized double nextDouble() {
            return draws[Math.min(next++, draws.length - 1)];
          }
        })
        .listener(new SwitchboardListener() {
          @Override
          public void onStateChanged(StateChange change) {
            if (change.getState() == ConnectionState.OFFLINE) {
              offline.add(change);
              allSeen.countDown();
            }
          }
        })
        .build();
    try {
      client.connect();
      assertTrue(allSeen.await(20, TimeUnit.SECONDS), "refused attempts seen: " + offline);
      for (int n = 0; n < draws.length - 1; n++) {
        assertEquals(n, offline.get(n).getAttempt(), "attempt count of " + offline.get(n));
        assertEquals(0, offline.get(n).getDelayMs(), "a draw of 0 waits nothing: " + offline.get(n));
      }
      StateChange capped = offline.get(draws.length - 1);
      assertEquals(6, capped.getAttempt());
      // the window of attempt 6 would be 64 s uncapped (30 s with the old cap)
      assertEquals(9999, capped.getDelayMs(), "the top of the default window: " + capped);
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }
}
