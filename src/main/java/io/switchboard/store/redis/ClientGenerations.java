package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.redis.client.Redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The vertx-redis-client in use, and a fresh one when it is stuck.
 *
 * <p>The client sets no deadline on its Sentinel and Cluster topology lookups nor on the handshake of
 * a new connection, and keeps the connections of a cluster connection to itself: a sentinel or node
 * that went silent without closing its connections (a host that vanished, a partition) would block
 * every new connection until the operating system gives up on TCP, minutes later. Starting over
 * with a new client (new pools, new topology) gets around that; the old one is closed once every call
 * that may still be using it has reached its deadline. Each generation starts from the next URL of the
 * list, so a silent first sentinel or seed node is not asked first again.
 */
final class ClientGenerations {

  private static final Logger LOG = LoggerFactory.getLogger(ClientGenerations.class);
  private static final long WARN_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final IntFunction<Redis> factory;
  private final long graceMs;
  private final String description;
  private final Set<Redis> retiring = ConcurrentHashMap.newKeySet();
  private volatile Redis current;
  private int generation;
  private boolean closed;
  private long nextWarning;

  /**
   * @param factory     a new client whose URL list starts at the given rotation
   * @param graceMs     how long calls on a replaced client may still run (the call timeout)
   * @param description where Redis is, for the log (no passwords)
   */
  ClientGenerations(Vertx vertx, IntFunction<Redis> factory, long graceMs, String description) {
    this.vertx = vertx;
    this.factory = factory;
    this.graceMs = graceMs;
    this.description = description;
    this.current = factory.apply(0);
  }

  Redis current() {
    return current;
  }

  /** Starts over with a new client, unless {@code stuck} was replaced already. */
  void replace(Redis stuck, String why) {
    synchronized (this) {
      if (closed || current != stuck) {
        return;
      }
      current = factory.apply(++generation);
      retiring.add(stuck);
      long now = System.currentTimeMillis();
      if (now >= nextWarning) {
        nextWarning = now + WARN_EVERY_MS;
        LOG.warn("Redis (" + description + "): " + why + "; starting over with new connections"
            + " (logged at most once a minute)");
      }
    }
    vertx.setTimer(graceMs, id -> {
      if (retiring.remove(stuck)) {
        stuck.close();
      }
    });
  }

  Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    synchronized (this) {
      closed = true;
      closing.add(current.close());
    }
    for (Redis r : retiring) {
      if (retiring.remove(r)) {
        closing.add(r.close());
      }
    }
    return Future.join(closing).mapEmpty();
  }

  /** Where Redis is, for the log (no passwords). */
  String description() {
    return description;
  }
}
