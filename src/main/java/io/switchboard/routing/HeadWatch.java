package io.switchboard.routing;

import io.switchboard.store.Position;
import io.switchboard.util.OnContext;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The repair bound of the event bus, for one event loop. The bus may lose a delivery (a connection
 * between nodes reset, a publisher that died between its append and its publish, a node cut off
 * from the cluster, a consumer registered a moment before the publish and not yet known to the
 * publisher). Nothing after it on the stream may come to reveal the hole, so the loop reads the
 * head of every stream it follows every {@code repairIntervalMs}, and whatever is behind fetches
 * what it lacks from the log. Every stored message thus reaches every session of this loop within
 * repairIntervalMs plus a store round trip, whatever the bus did.
 *
 * <p>A feed that just subscribed is also checked a moment later ({@link #EARLY_CHECK_MS}) where
 * other nodes learn of its consumer some milliseconds after it registered (room and {@code all}
 * streams on a clustered node; not user streams routed by presence, which the hello reads the head
 * of only once they are reachable).
 * Heads are read in pipelined batches: a loop following 100,000 streams costs 100 commands per
 * interval, not 100,000.
 */
final class HeadWatch {

  private static final Logger LOG = LoggerFactory.getLogger(HeadWatch.class);
  static final long EARLY_CHECK_MS = 500;
  static final long TICK_MS = 100;
  static final int BATCH = 1_000;

  private record Due(long at, Watched watched) {
  }

  private final FeedRegistry registry;
  private final Predicate<String> early;
  private final long intervalMs;
  private final Supplier<Collection<? extends Watched>> all;
  private final ArrayDeque<Due> soon = new ArrayDeque<>();
  private long earlyTimer = -1;
  private long sweepTimer = -1;

  /**
   * @param early      which new feeds get an early check (streams whose consumers the bus learns late)
   * @param intervalMs the repair interval
   * @param all        everything this loop follows, read at every sweep
   */
  HeadWatch(FeedRegistry registry, Predicate<String> early, long intervalMs, Supplier<Collection<? extends Watched>> all) {
    this.registry = registry;
    this.early = early;
    this.intervalMs = intervalMs;
    this.all = all;
  }

  void start() {
    if (sweepTimer < 0) {
      sweepTimer = registry.context.owner().setPeriodic(intervalMs, t -> sweep());
    }
  }

  void stop() {
    if (sweepTimer >= 0) {
      registry.context.owner().cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    if (earlyTimer >= 0) {
      registry.context.owner().cancelTimer(earlyTimer);
      earlyTimer = -1;
    }
  }

  /** Called when a feed's subscription completed. */
  void subscribed(Watched w) {
    if (early.test(w.stream())) {
      checkSoon(w);
    }
  }

  /** Reads the feed's head {@link #EARLY_CHECK_MS} from now. */
  void checkSoon(Watched w) {
    soon.add(new Due(System.currentTimeMillis() + EARLY_CHECK_MS, w));
    if (earlyTimer < 0) {
      earlyTimer = registry.context.owner().setTimer(TICK_MS, t -> {
        earlyTimer = -1;
        checkSoon();
      });
    }
  }

  /** Reads every head now (a periodic sweep, or after something that may have lost deliveries). */
  void sweep() {
    check(new ArrayList<>(all.get()));
  }

  private void checkSoon() {
    long now = System.currentTimeMillis();
    List<Watched> due = new ArrayList<>();
    while (!soon.isEmpty() && soon.peekFirst().at() <= now) {
      due.add(soon.pollFirst().watched());
    }
    check(due);
    if (!soon.isEmpty()) {
      earlyTimer = registry.context.owner().setTimer(TICK_MS, t -> {
        earlyTimer = -1;
        checkSoon();
      });
    }
  }

  private void check(List<? extends Watched> watched) {
    Map<String, Watched> byStream = new LinkedHashMap<>();
    for (Watched w : watched) {
      if (!w.isClosed()) {
        byStream.put(w.stream(), w);
      }
    }
    List<Watched> list = new ArrayList<>(byStream.values());
    for (int from = 0; from < list.size(); from += BATCH) {
      read(list.subList(from, Math.min(list.size(), from + BATCH)));
    }
  }

  private void read(List<Watched> watched) {
    List<String> streams = watched.stream().map(Watched::stream).toList();
    OnContext.back(registry.context, registry.log.heads(streams)).onComplete(ar -> {
      if (ar.failed()) {
        // the next sweep tries again; until then sessions still catch up when a later message shows a gap
        LOG.debug("head check of " + streams.size() + " streams failed: " + ar.cause());
        return;
      }
      for (Watched w : watched) {
        Position head = ar.result().get(w.stream());
        if (head != null && !w.isClosed()) {
          w.headRead(head);
        }
      }
    });
  }
}
