package io.switchboard.client;

import io.switchboard.client.internal.Dispatcher;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionTest {

  @Test
  void callbacksRunOnTheCallbackExecutorBeforeOrAfterCompletion() throws Exception {
    ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
    try {
      Completion<String> c = new Completion<>(new Dispatcher(callbacks));
      BlockingQueue<String> seen = new ArrayBlockingQueue<>(4);
      c.whenDone((r, e) -> seen.add("early " + r + " on " + Thread.currentThread().getName()));
      assertTrue(c.succeed("x"));
      assertFalse(c.fail(new SwitchboardException(ErrorCode.INTERNAL, "late")), "completed once");
      c.whenDone((r, e) -> seen.add("late " + r + " on " + Thread.currentThread().getName()));
      assertEquals("early x on app-callbacks", seen.poll(5, TimeUnit.SECONDS));
      assertEquals("late x on app-callbacks", seen.poll(5, TimeUnit.SECONDS));
      assertEquals("x", c.await(1, TimeUnit.SECONDS));
      assertEquals("x", c.toCompletableFuture().get(5, TimeUnit.SECONDS));
    } finally {
      callbacks.shutdownNow();
    }
  }

  @Test
  void awaitThrowsTheErrorOrTimesOut() {
    Completion<String> c = new Completion<>(new Dispatcher(Runnable::run));
    assertThrows(TimeoutException.class, () -> c.await(50, TimeUnit.MILLISECONDS));
    SwitchboardException e = new SwitchboardException(ErrorCode.FORBIDDEN, "no");
    c.fail(e);
    assertSame(e, assertThrows(SwitchboardException.class, () -> c.await(1, TimeUnit.SECONDS)));
  }
}
