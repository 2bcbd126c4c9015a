package io.switchboard.util;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings a future's completion back onto a given context. Session and feed state is owned by one
 * event loop and never locked, so every asynchronous result must land there before touching it.
 */
public final class OnContext {

  private OnContext() {
  }

  public static <T> Future<T> back(Context context, Future<T> future) {
    if (future.isComplete() && Vertx.currentContext() == context) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }
}
