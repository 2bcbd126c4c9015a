package io.switchboard.routing;

import io.switchboard.util.OnContext;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, some time after each feed of one event loop subscribed, the heads of their streams, so that
 * a message published while other nodes did not yet know of the subscription is fetched from the log
 * instead of waiting for the stream's next message to reveal the gap. Heads are read in batches,
 * one timer per loop, so a reconnect storm costs a few pipelined reads rather than one per feed.
 */
final class HeadRechecks {

  private static final Logger LOG = LoggerFactory.getLogger(HeadRechecks.class);
  static final long TICK_MS = 100;
  static final int BATCH = 1_000;

  private record Due(long at, StreamFeed feed) {
  }

  private final FeedRegistry registry;
  private final long[] delays;
  /** One queue per delay: entries join each in time order, so each is sorted by due time. */
  private final List<ArrayDeque<Due>> stages = new ArrayList<>();
  private long timer = -1;

  HeadRechecks(FeedRegistry registry, List<Long> delays) {
    this.registry = registry;
    this.delays = delays.stream().mapToLong(Long::longValue).toArray();
    for (int i = 0; i < this.delays.length; i++) {
      stages.add(new ArrayDeque<>());
    }
  }

  /** Called when the feed's subscription completed. */
  void schedule(StreamFeed feed) {
    if (delays.length == 0) {
      return;
    }
    stages.get(0).add(new Due(System.currentTimeMillis() + delays[0], feed));
    arm();
  }

  private void arm() {
    if (timer >= 0 || stages.stream().allMatch(ArrayDeque::isEmpty)) {
      return;
    }
    timer = registry.context.owner().setTimer(TICK_MS, t -> {
      timer = -1;
      run();
    });
  }

  private void run() {
    long now = System.currentTimeMillis();
    Map<String, StreamFeed> due = new LinkedHashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      ArrayDeque<Due> stage = stages.get(i);
      while (!stage.isEmpty() && stage.peekFirst().at() <= now) {
        Due d = stage.pollFirst();
        if (d.feed().isClosed()) {
          continue;
        }
        due.put(d.feed().stream(), d.feed());
        if (i + 1 < stages.size()) {
          stages.get(i + 1).add(new Due(d.at() - delays[i] + delays[i + 1], d.feed()));
        }
      }
    }
    List<StreamFeed> feeds = new ArrayList<>(due.values());
    for (int from = 0; from < feeds.size(); from += BATCH) {
      read(feeds.subList(from, Math.min(feeds.size(), from + BATCH)));
    }
    arm();
  }

  private void read(List<StreamFeed> feeds) {
    List<String> streams = feeds.stream().map(StreamFeed::stream).toList();
    OnContext.back(registry.context, registry.log.heads(streams)).onComplete(ar -> {
      if (ar.failed()) {
        // sessions still catch up when the stream's next message shows them the gap
        LOG.debug("head re-check of " + streams.size() + " streams failed: " + ar.cause());
        return;
      }
      for (StreamFeed feed : feeds) {
        Long head = ar.result().get(feed.stream());
        if (head != null) {
          feed.headRead(head);
        }
      }
    });
  }
}
