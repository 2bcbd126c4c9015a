package io.switchboard.client;

import io.switchboard.client.internal.Dispatcher;
import org.codehaus.mojo.animal_sniffer.IgnoreJRERequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The outcome of a request, completed once. {@link #whenDone} callbacks run on the client's callback
 * executor, in order with its events; {@link #await} blocks a thread (never the callback executor's
 * or Android's main thread). {@code CompletableFuture} is not on Android before API 24, hence this
 * type; {@link #toCompletableFuture()} is there for the JVM.
 */
public final class Completion<T> {
  private final Dispatcher dispatcher;
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<Callback<T>> callbacks = new ArrayList<Callback<T>>();
  private boolean completed;
  private T result;
  private SwitchboardException error;

  /** For the client; applications get completions from its methods. */
  public Completion(Dispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** Runs {@code callback} once done (at once, on the callback executor, if it already is). */
  public Completion<T> whenDone(Callback<T> callback) {
    boolean now;
    synchronized (this) {
      now = completed;
      if (!now) {
        callbacks.add(callback);
      }
    }
    if (now) {
      dispatcher.post(new Run<T>(callback, result, error));
    }
    return this;
  }

  public synchronized boolean isDone() {
    return completed;
  }

  /**
   * Waits for the outcome.
   *
   * @return the result
   * @throws SwitchboardException the request failed
   * @throws TimeoutException not done within the timeout
   */
  public T await(long timeout, TimeUnit unit) throws SwitchboardException, InterruptedException, TimeoutException {
    if (!done.await(timeout, unit)) {
      throw new TimeoutException("not done within " + unit.toMillis(timeout) + " ms");
    }
    synchronized (this) {
      if (error != null) {
        throw error;
      }
      return result;
    }
  }

  /** The outcome as a {@code CompletableFuture}: JVM and Android API 24+ only. */
  @IgnoreJRERequirement
  public CompletableFuture<T> toCompletableFuture() {
    final CompletableFuture<T> f = new CompletableFuture<T>();
    whenDone(new Callback<T>() {
      @Override
      public void onDone(T r, SwitchboardException e) {
        if (e != null) {
          f.completeExceptionally(e);
        } else {
          f.complete(r);
        }
      }
    });
    return f;
  }

  /** For the client: completes with a result; false if already done. */
  public boolean succeed(T value) {
    return finish(value, null);
  }

  /** For the client: completes with an error; false if already done. */
  public boolean fail(SwitchboardException e) {
    return finish(null, e);
  }

  private boolean finish(T value, SwitchboardException e) {
    List<Callback<T>> toRun;
    synchronized (this) {
      if (completed) {
        return false;
      }
      completed = true;
      result = value;
      error = e;
      toRun = new ArrayList<Callback<T>>(callbacks);
      callbacks.clear();
    }
    done.countDown();
    for (Callback<T> c : toRun) {
      dispatcher.post(new Run<T>(c, value, e));
    }
    return true;
  }

  private static final class Run<T> implements Runnable {
    private final Callback<T> callback;
    private final T result;
    private final SwitchboardException error;

    Run(Callback<T> callback, T result, SwitchboardException error) {
      this.callback = callback;
      this.result = result;
      this.error = error;
    }

    @Override
    public void run() {
      callback.onDone(result, error);
    }
  }
}
