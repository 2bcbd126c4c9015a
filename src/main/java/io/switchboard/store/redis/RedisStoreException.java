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
    this(Redaction.text(message), true);
  }

  private RedisStoreException(String message, boolean redacted) {
    super(message, null, false, false);
  }

  /**
   * For a message worded here, with nothing from outside in it: no need to redact. Such an
   * exception carries no stack and no cause, so one instance can be handed to any number of callers
   * (an overloaded store fails thousands of calls a second the same way).
   */
  static RedisStoreException plain(String message) {
    return new RedisStoreException(message, false);
  }

  static RedisStoreException of(Throwable cause) {
    if (cause instanceof RedisStoreException e) {
      return e;
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return new RedisStoreException((cause instanceof ErrorType ? "Redis answered: " : "Redis unavailable: ") + message);
  }
}
