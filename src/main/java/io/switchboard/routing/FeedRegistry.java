package io.switchboard.routing;

import io.switchboard.store.MessageLog;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/**
 * The streams one event loop listens to: one event-bus consumer per stream, reference-counted by
 * the listeners (session streams) attached to it. Confined to its event loop: no locks.
 */
public final class FeedRegistry {

  private final Map<String, StreamFeed> feeds = new HashMap<>();
  final Context context;
  final StreamBus bus;
  final MessageLog log;
  final DeliveryTimer timer;
  final HeadRechecks rechecks;

  public FeedRegistry(Context context, StreamBus bus, MessageLog log, DeliveryTimer timer) {
    this.context = context;
    this.bus = bus;
    this.log = log;
    this.timer = timer;
    this.rechecks = new HeadRechecks(this, bus.recheckAfterMs());
  }

  /**
   * Adds the listener at once (so nothing published from now on is missed by it once registration
   * completes) and returns when the stream's consumer is registered.
   */
  public Future<Void> attach(String stream, FeedListener listener) {
    StreamFeed feed = feeds.computeIfAbsent(stream, s -> new StreamFeed(s, this));
    feed.add(listener);
    return feed.ready();
  }

  public void detach(String stream, FeedListener listener) {
    StreamFeed feed = feeds.get(stream);
    if (feed != null && feed.remove(listener)) {
      feeds.remove(stream);
      feed.close();
    }
  }

  /** Streams this loop currently consumes (for tests and diagnostics). */
  public int size() {
    return feeds.size();
  }
}
