package io.switchboard.store.redis;

import io.vertx.core.AsyncResult;
import io.vertx.core.Promise;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.function.Supplier;

/** One command in a {@link Pipeline}: what to write, until when its caller waits, and the caller's promise. */
final class Call {
  /** The hash tag of the command's keys (its stream or user); null for a keyless command. */
  final String tag;
  final Request request;
  /** Builds the EVAL to write if Redis answers NOSCRIPT; null for other commands. */
  final Supplier<Request> onNoScript;
  final long deadline;
  final long enqueuedAt;
  final Promise<Response> promise = Promise.promise();
  /** Redis answered NOSCRIPT: not run, and left pending until its round decides (see {@link Pipeline}). */
  volatile boolean noScript;

  Call(String tag, Request request, Supplier<Request> onNoScript, long deadline, long enqueuedAt) {
    this.tag = tag;
    this.request = request;
    this.onNoScript = onNoScript;
    this.deadline = deadline;
    this.enqueuedAt = enqueuedAt;
  }

  /** First outcome wins: a reply after the deadline, or a deadline after the reply, changes nothing. */
  void complete(AsyncResult<Response> ar) {
    if (ar.succeeded()) {
      promise.tryComplete(ar.result());
    } else {
      promise.tryFail(failure(ar.cause()));
    }
  }

  void fail(Throwable cause) {
    promise.tryFail(cause);
  }

  void failIfOverdue(long now, Throwable timeout) {
    if (now - deadline >= 0) {
      promise.tryFail(timeout);
    }
  }

  /** Redis' own error replies reach the caller as they are; anything else is redacted. */
  private static Throwable failure(Throwable t) {
    return t instanceof ErrorType ? t : RedisStoreException.of(t);
  }
}
