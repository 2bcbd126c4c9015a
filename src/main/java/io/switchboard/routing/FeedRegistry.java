package io.switchboard.routing;

import io.switchboard.store.MessageLog;
import io.switchboard.util.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The streams one event loop listens to: one event-bus consumer per stream, reference-counted by
 * the listeners (session streams) attached to it, and the {@link HeadWatch} that repairs what the
 * bus loses. Confined to its event loop: no locks.
 */
public final class FeedRegistry {

  private final Map<String, StreamFeed> feeds = new HashMap<>();
  final Context context;
  final StreamBus bus;
  final MessageLog log;
  final DeliveryTimer timer;
  final Runnable dropped;
  private final HeadWatch watch;
  private final List<Watched> extra = new ArrayList<>(1);

  /**
   * @param repairIntervalMs how often every followed stream's head is read (the repair bound)
   * @param dropped          counts deliveries a feed dropped rather than hold more of them
   */
  public FeedRegistry(Context context, StreamBus bus, MessageLog log, DeliveryTimer timer, long repairIntervalMs,
                      Runnable dropped) {
    this.context = context;
    this.bus = bus;
    this.log = log;
    this.timer = timer;
    this.dropped = dropped;
    this.watch = new HeadWatch(this, bus::learnsConsumersLate, repairIntervalMs, this::watched);
  }

  /** Starts the periodic repair sweep. */
  public void start() {
    watch.start();
  }

  public void stop() {
    watch.stop();
  }

  /** A control channel of this loop, repaired by the same sweep as the feeds. */
  public ControlChannel controlChannel(ControlChannel.Handler handler) {
    ControlChannel channel = new ControlChannel(context, log, handler);
    extra.add(channel);
    return channel;
  }

  /** Reads every followed stream's head now, for a node that may have missed deliveries (it was cut off). */
  public void repairAll() {
    watch.sweep();
  }

  /**
   * Adds the listener at once (so nothing published from now on is missed by it once registration
   * completes) and returns when the stream's consumer is registered. If the registration fails, the
   * feed is dropped, so that the next attach tries again instead of inheriting the failure; the
   * caller detaches its listener.
   */
  public Future<Void> attach(String stream, FeedListener listener) {
    StreamFeed feed = feeds.get(stream);
    if (feed == null) {
      StreamFeed created = new StreamFeed(stream, this);
      feeds.put(stream, created);
      OnContext.back(context, created.subscription()).onComplete(ar -> {
        if (ar.succeeded()) {
          watch.subscribed(created);
        } else if (feeds.get(stream) == created) {
          feeds.remove(stream);
          created.close();
        }
      });
      feed = created;
    }
    feed.add(listener);
    return OnContext.back(context, feed.subscription().mapEmpty());
  }

  /** How long after {@link #checkSoon} the head is read. */
  public static final long CHECK_SOON_MS = HeadWatch.EARLY_CHECK_MS;

  /** Reads the stream's head {@link #CHECK_SOON_MS} from now, for a consumer other nodes may not route to yet. */
  public void checkSoon(String stream) {
    StreamFeed feed = feeds.get(stream);
    if (feed != null) {
      watch.checkSoon(feed);
    }
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

  /** Deliveries the stream's feed holds back waiting for a missing seq (for tests of the bound). */
  int held(String stream) {
    StreamFeed feed = feeds.get(stream);
    return feed == null ? 0 : feed.held();
  }

  private Collection<Watched> watched() {
    List<Watched> all = new ArrayList<>(feeds.size() + extra.size());
    all.addAll(feeds.values());
    all.addAll(extra);
    return all;
  }
}
