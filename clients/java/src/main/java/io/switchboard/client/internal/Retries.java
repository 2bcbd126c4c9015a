package io.switchboard.client.internal;

import io.switchboard.client.Backoff;
import io.switchboard.client.CloseCodes;
import io.switchboard.client.ConnectionState;

import java.util.concurrent.ScheduledFuture;

/**
 * When to open the next socket after one was lost, as its close code says: after a backoff that
 * grows with each attempt, after the node's hint or the upgrade's {@code Retry-After}, with a fresh
 * token after a refused one, or never. Confined to the loop thread.
 */
final class Retries {
  /** What a retry does to the connection's lifecycle. */
  interface Lifecycle {
    /** The wait is over. */
    void open();

    /** Trying again cannot help. */
    void terminate(int code, String reason);
  }

  private final Options o;
  private final Loop loop;
  private final Tokens tokens;
  private final Status status;
  private final Lifecycle lifecycle;
  private int attempt;
  private int authFailures;
  private long hintMs = -1;
  private ScheduledFuture<?> retryTimer;

  Retries(Options o, Loop loop, Tokens tokens, Status status, Lifecycle lifecycle) {
    this.o = o;
    this.loop = loop;
    this.tokens = tokens;
    this.status = status;
    this.lifecycle = lifecycle;
  }

  int attempt() {
    return attempt;
  }

  /** The next wait is the shortest again. */
  void resetBackoff() {
    attempt = 0;
  }

  /** A token was taken: the refusals in a row start again at 0. */
  void tokenAccepted() {
    authFailures = 0;
  }

  /** reconnect(): as if nothing had been tried yet. */
  void reset() {
    authFailures = 0;
    attempt = 0;
  }

  /** A new socket: a hint the node gave for the old one does not apply to it. */
  void newSocket() {
    hintMs = -1;
  }

  /** The node asked for a reconnect after {@code ms}: the next retry waits that long, not a backoff. */
  void hint(long ms) {
    hintMs = ms;
  }

  void cancel() {
    Loop.cancel(retryTimer);
  }

  /** The socket was lost, neither on purpose nor while paused or closed: a retry, or none. */
  void lost(int code, String reason, long retryAfterMs) {
    CloseCodes.Action action = CloseCodes.action(code);
    String text = reason != null && !reason.isEmpty() ? reason : "closed with " + code;
    switch (action) {
      case NEVER:
        lifecycle.terminate(code, text);
        return;
      case TOKEN:
        if (o.tokenProvider == null) {
          lifecycle.terminate(code, text + " (no TokenProvider to fetch a fresh token)");
          return;
        }
        if (++authFailures >= o.maxAuthFailures) {
          lifecycle.terminate(code, text + " (" + authFailures + " tokens refused in a row)");
          return;
        }
        tokens.refused();
        schedule(code, text, -1);
        return;
      case HINT:
        long hint = hintMs >= 0 ? Math.min(hintMs, o.backoffCapMs) : -1;
        hintMs = -1;
        schedule(code, text, hint);
        return;
      default:
        if (retryAfterMs > 0) {
          long d = Math.max(Backoff.delay(attempt, o.backoffBaseMs, o.backoffCapMs, o.random.nextDouble()),
              Math.min(retryAfterMs, o.backoffCapMs));
          schedule(code, text, d);
        } else {
          schedule(code, text, -1);
        }
    }
  }

  /** Opens again after {@code fixedDelay} ms, or after the backoff when it is negative. */
  void schedule(int code, String reason, long fixedDelay) {
    int a = attempt;
    long delay = fixedDelay >= 0 ? fixedDelay : Backoff.delay(a, o.backoffBaseMs, o.backoffCapMs, o.random.nextDouble());
    attempt++;
    Loop.cancel(retryTimer);
    retryTimer = loop.schedule(() -> {
      lifecycle.open();
    }, delay);
    status.set(ConnectionState.OFFLINE, code, reason, System.currentTimeMillis() + delay, delay, a);
  }
}
