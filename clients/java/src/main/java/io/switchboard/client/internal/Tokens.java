package io.switchboard.client.internal;

import io.switchboard.client.ErrorCode;
import io.switchboard.client.SwitchboardException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;

/**
 * The token the connection uses: the configured one, or one from the {@code TokenProvider}, fetched
 * on a thread of its own (the provider may block) and again before it expires. Remembers the token
 * the node refused, so that the same one is not tried again. Confined to the loop thread; the
 * provider's answer comes back onto it.
 */
final class Tokens {
  interface Result {
    void done(String token, Exception error);
  }

  /** Whether the welcomed connection a refresh was scheduled for is still the one. */
  interface Live {
    boolean still();
  }

  /** Takes a refreshed token to the node. */
  interface Refreshed {
    void to(String token);
  }

  private final Options o;
  private final Loop loop;
  private final Events events;
  private final ExecutorService io;
  private String token;
  private String refusedToken;
  private ScheduledFuture<?> refreshTimer;

  Tokens(Options o, Loop loop, Events events) {
    this.o = o;
    this.loop = loop;
    this.events = events;
    this.io = Executors.newSingleThreadExecutor(Loop.daemon("switchboard-client-io"));
  }

  String current() {
    return token;
  }

  /** A token must be fetched before the next socket: none yet, or one about to expire. */
  boolean stale() {
    return o.tokenProvider != null && (token == null || expiresWithin(token, o.tokenRefreshMarginMs));
  }

  void use(String t) {
    token = t;
  }

  void useConfiguredIfNone() {
    if (token == null) {
      token = o.token;
    }
  }

  /** The node refused the token: the next socket needs another. */
  void refused() {
    refusedToken = token;
    token = null;
  }

  /** The provider returned the token the node refused last. */
  boolean refusedAgain() {
    return token != null && token.equals(refusedToken);
  }

  /** A welcome: the token was taken. */
  void accepted() {
    refusedToken = null;
  }

  /** Asks the provider, off the loop; {@code result} runs on the loop. */
  void fetch(final Result result) {
    io.execute(() -> {
      String t = null;
      Exception err = null;
      try {
        t = o.tokenProvider.fetchToken();
        if (t == null || t.isEmpty()) {
          err = new IllegalStateException("the TokenProvider returned no token");
        }
      } catch (Exception e) {
        err = e;
      }
      final String token = t;
      final Exception error = err;
      loop.execute(() -> {
        result.done(token, error);
      });
    });
  }

  /**
   * Fetches a fresh token before this one expires, while {@code live} holds (the same welcomed
   * connection), and hands it to {@code changed} when it differs.
   */
  void scheduleRefresh(final Live live, final Refreshed changed) {
    cancelRefresh();
    if (o.tokenProvider == null) {
      return;
    }
    long exp = Jwt.expiresAtMs(token);
    if (exp <= 0) {
      return;
    }
    long left = exp - System.currentTimeMillis();
    // refresh a margin before exp; a token that lives less than twice the margin, halfway through
    long delay = left > 2 * o.tokenRefreshMarginMs ? left - o.tokenRefreshMarginMs : Math.max(1000, left / 2);
    refreshTimer = loop.schedule(() -> {
      fetch((t, error) -> {
        if (!live.still()) {
          return;
        }
        if (error != null) {
          events.error(new SwitchboardException(ErrorCode.TOKEN, ErrorCode.TOKEN.wire(),
              "could not refresh the token: " + error.getMessage(), null, false, 0, error));
          return;
        }
        if (!t.equals(token)) {
          token = t;
          changed.to(t);
        }
        scheduleRefresh(live, changed);
      });
    }, delay);
  }

  void cancelRefresh() {
    Loop.cancel(refreshTimer);
  }

  void shutdown() {
    io.shutdown();
  }

  private static boolean expiresWithin(String t, long marginMs) {
    long exp = Jwt.expiresAtMs(t);
    return exp > 0 && exp - System.currentTimeMillis() <= marginMs;
  }
}
