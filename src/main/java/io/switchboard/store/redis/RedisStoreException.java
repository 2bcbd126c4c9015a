package io.switchboard.store.redis;

import io.switchboard.util.Redaction;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Redis could not serve a call: it timed out, the connection failed, the store is closed, or Redis
 * answered with an error (then the message starts with "Redis answered:"). The message is redacted (connection errors of the client name endpoints with their credentials)
 * and the original exception is deliberately not kept as the cause, so logging this never prints a
 * password.
 */
public final class RedisStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  RedisStoreException(String message) {
    super(Redaction.text(message), null, false, false);
  }

  static RedisStoreException of(Throwable cause) {
    if (cause instanceof RedisStoreException e) {
      return e;
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new RedisStoreException((cause instanceof ErrorType ? "Redis answered: " : "Redis unavailable: ") + message);
  }
}
