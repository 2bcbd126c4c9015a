package io.switchboard.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the application's callbacks on its executor one at a time, in the order posted, even when
 * that executor has several threads: per-stream order is the client's promise, and an app's thread
 * pool must not break it.
 */
public final class Dispatcher {
  private static final Logger LOG = Logger.getLogger("io.switchboard.client");
  /** Tasks per turn on the executor, so one busy client does not hog a shared thread. */
  private static final int BATCH = 64;

  private final Executor executor;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<Runnable>();
  private boolean scheduled;
  private final Runnable drain = new Runnable() {
    @Override
    public void run() {
      drain();
    }
  };

  public Dispatcher(Executor executor) {
    this.executor = executor;
  }

  public void post(Runnable task) {
    synchronized (this) {
      queue.add(task);
      if (scheduled) {
        return;
      }
      scheduled = true;
    }
    schedule();
  }

  private void schedule() {
    try {
      executor.execute(drain);
    } catch (RejectedExecutionException e) {
      // the application shut its executor down: nobody is listening any more
      synchronized (this) {
        queue.clear();
        scheduled = false;
      }
    }
  }

  private void drain() {
    for (int i = 0; i < BATCH; i++) {
      Runnable r;
      synchronized (this) {
        r = queue.poll();
        if (r == null) {
          scheduled = false;
          return;
        }
      }
      try {
        r.run();
      } catch (Throwable t) {
        LOG.log(Level.WARNING, "a Switchboard callback threw", t);
      }
    }
    schedule();
  }
}
