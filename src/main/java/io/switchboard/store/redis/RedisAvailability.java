package io.switchboard.store.redis;

import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether Redis answers, as the pipeline sees it, logged once per change: when it stops answering
 * (refused or lost connections, or no reply in time: a frozen server accepts connections and never
 * answers) and when it answers again. Readiness and the metrics already show it; the log says when
 * and why. A Redis that flaps is not logged at every change: within {@link #QUIET_MS} of the last
 * outage logged, new outages are only counted, and the next message says how many there were.
 * A reply is checked with one volatile read while all is well.
 */
final class RedisAvailability {

  private static final Logger LOG = LoggerFactory.getLogger(RedisAvailability.class);
  static final long QUIET_MS = 10_000;

  private final String where;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong failedWhileDown = new AtomicLong();
  private volatile long downSince;
  private volatile long lastLogged;
  private volatile boolean outageLogged;
  private int unlogged;

  /** @param where the servers, as an operator recognises them (redacted URLs) */
  RedisAvailability(String where) {
    this.where = where;
  }

  /** Redis replied (an error reply is a reply too). */
  void answered() {
    if (!down.get() || !down.compareAndSet(true, false)) {
      return;
    }
    if (outageLogged) {
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
      LOG.info("Redis " + where + " answers again after " + ms + " ms; " + failedWhileDown.get()
          + " call(s) failed meanwhile (sends answered unavailable, clients retry them)");
    }
  }

  /** A call or a connection failed because Redis did not answer, or refused or lost the connection. */
  void failed(String cause) {
    if (down.get()) {
      failedWhileDown.incrementAndGet();
      return;
    }
    if (!down.compareAndSet(false, true)) {
      return;
    }
    long now = System.nanoTime();
    downSince = now;
    failedWhileDown.set(1);
    synchronized (this) {
      boolean quiet = lastLogged == 0 || now - lastLogged >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
      outageLogged = quiet;
      if (!quiet) {
        unlogged++;
        return;
      }
      lastLogged = now;
      String flaps = unlogged > 0 ? " (" + unlogged + " shorter outage(s) since the last message)" : "";
      unlogged = 0;
      LOG.warn("Redis " + where + " is not answering: " + cause + ". Sends answer unavailable and /health/ready "
          + "answers 503 until it is back" + flaps);
    }
  }
}
