package io.switchboard.client.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatcherTest {

  /** An app's thread pool must not reorder a stream's messages: one at a time, in the order posted. */
  @Test
  void keepsOrderOnAPoolOfThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Dispatcher d = new Dispatcher(pool);
      int n = 5000;
      List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      CountDownLatch done = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        int k = i;
        d.post(() -> {
          if (running.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          seen.add(k);
          running.decrementAndGet();
          done.countDown();
        });
      }
      assertTrue(done.await(30, TimeUnit.SECONDS), "all callbacks ran");
      assertEquals(0, overlaps.get(), "callbacks overlapped");
      for (int i = 0; i < n; i++) {
        assertEquals(i, seen.get(i), "position " + i);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCallbackThatThrowsDoesNotStopTheOthers() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      Dispatcher d = new Dispatcher(one);
      CountDownLatch after = new CountDownLatch(1);
      d.post(() -> {
        throw new IllegalStateException("an app bug");
      });
      d.post(after::countDown);
      assertTrue(after.await(10, TimeUnit.SECONDS));
    } finally {
      one.shutdownNow();
    }
  }
}
