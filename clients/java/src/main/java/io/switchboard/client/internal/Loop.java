package io.switchboard.client.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one thread the client's state is confined to, and its timers. Thread-safe: public methods,
 * OkHttp's callbacks and the token thread hop onto the loop through it.
 */
final class Loop {
  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  Loop() {
    executor = new ScheduledThreadPoolExecutor(1, new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = daemon("switchboard-client").newThread(r);
        thread = t;
        return t;
      }
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code r} on the loop thread. */
  void execute(Runnable r) {
    try {
      executor.execute(r);
    } catch (RejectedExecutionException e) {
      // closed: nothing more happens
    }
  }

  ScheduledFuture<?> schedule(Runnable r, long delayMs) {
    try {
      return executor.schedule(r, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    }
  }

  ScheduledFuture<?> every(Runnable r, long periodMs) {
    return executor.scheduleWithFixedDelay(r, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** Reads a value computed on the loop (the getters of the public API); null once closed. */
  <T> T query(Callable<T> q) {
    if (Thread.currentThread() == thread) {
      try {
        return q.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return executor.submit(q).get(10, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void shutdown() {
    executor.shutdown();
  }

  static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  static long now() {
    return System.nanoTime() / 1000000L;
  }

  static ThreadFactory daemon(final String name) {
    return new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      }
    };
  }
}
