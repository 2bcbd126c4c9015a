package io.switchboard.routing;

import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.switchboard.util.OnContext;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One stream's consumer on one event loop, fanning out to the listeners attached there.
 *
 * <p>Seqs from different publishers can arrive out of order, and the event bus may lose a message
 * outright. The feed puts messages back in order, holding early ones for a moment and then fetching
 * what is still missing from the log, once for all its listeners instead of once per session.
 * It is an optimisation only: each session still checks its own next seq and catches up from the
 * log by itself, so a feed that gives up (log unreachable, range trimmed, too much held) loses nothing.
 *
 * <p>Seqs are ordered within the stream's epoch: a delivery of an older epoch is stale and dropped;
 * one of a newer epoch means the stream started over, and the feed starts over with it.
 */
final class StreamFeed implements Watched {

  private static final Logger LOG = LoggerFactory.getLogger(StreamFeed.class);
  /** Long enough for a reordered message from another node to land, short enough to be unnoticeable. */
  static final long REORDER_WAIT_MS = 20;
  /** Deliveries held back waiting for a missing seq; beyond it they are dropped (sessions read them). */
  static final int MAX_HELD = 1024;

  private final String stream;
  private final FeedRegistry registry;
  private final Future<StreamBus.Subscription> subscription;
  private final List<FeedListener> listeners = new ArrayList<>(2);
  private int attached;
  private boolean emitting;
  private boolean removedWhileEmitting;
  private boolean closed;

  /** The epoch the feed orders; 0 until the first ordered message. */
  private long epoch;
  /** Next seq to emit; 0 until the first ordered message fixes the baseline. */
  private long expected;
  private TreeMap<Long, Delivery> held;
  private long fillTimer = -1;
  private boolean filling;

  StreamFeed(String stream, FeedRegistry registry) {
    this.stream = stream;
    this.registry = registry;
    this.subscription = registry.bus.subscribe(stream, this::receive);
  }

  @Override
  public String stream() {
    return stream;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  Future<StreamBus.Subscription> subscription() {
    return subscription;
  }

  void add(FeedListener listener) {
    listeners.add(listener);
    attached++;
  }

  /** @return true when the last listener left and the feed should close */
  boolean remove(FeedListener listener) {
    int i = listeners.indexOf(listener);
    if (i < 0) {
      return false;
    }
    attached--;
    if (emitting) {
      // the emit loop is indexing this list: blank the slot, compact afterwards
      listeners.set(i, null);
      removedWhileEmitting = true;
    } else {
      listeners.remove(i);
    }
    return attached == 0;
  }

  void close() {
    closed = true;
    if (fillTimer >= 0) {
      registry.context.owner().cancelTimer(fillTimer);
    }
    subscription.onSuccess(StreamBus.Subscription::cancel);
  }

  /**
   * The stream's head, read by the {@link HeadWatch}. Messages up to it that have not come over the
   * bus were lost on the way, or published by a node that did not know of this consumer yet: they
   * are taken from the log and go through the same ordering as live ones.
   */
  @Override
  public void headRead(Position head) {
    if (closed || head.seq() <= 0) {
      return;
    }
    long from;
    if (expected > 0 && head.epoch() == epoch) {
      if (head.seq() < expected) {
        return;
      }
      from = expected;
    } else if (expected > 0 && head.epoch() > epoch) {
      from = 1;
    } else if (expected == 0 && anyBehind(head)) {
      // nothing came since subscribing, yet someone waits for what the head holds: the last message
      // is enough, since a listener further behind sees the gap and reads the rest itself
      from = head.seq();
    } else {
      return;
    }
    int count = (int) Math.min(head.seq() - from + 1, MessageLog.MAX_PAGE);
    OnContext.back(registry.context, registry.log.read(stream, from, count)).onComplete(ar -> {
      if (closed) {
        return;
      }
      if (ar.failed()) {
        LOG.debug("head check of " + stream + " could not read the log: " + ar.cause());
        return;
      }
      for (StoredMessage m : ar.result().messages()) {
        if (m.seq() <= head.seq()) {
          receive(Delivery.message(m, 0));
        }
      }
    });
  }

  private boolean anyBehind(Position head) {
    for (FeedListener l : listeners) {
      if (l != null && l.behind(head)) {
        return true;
      }
    }
    return false;
  }

  private void receive(Delivery d) {
    if (closed) {
      return;
    }
    if (!d.ordered()) {
      emit(d);
      return;
    }
    if (d.epoch() < epoch) {
      return;
    }
    if (d.epoch() > epoch) {
      startOver(d.epoch());
    }
    long seq = d.seq();
    if (expected == 0 || seq == expected) {
      emitInOrder(d);
      releaseHeld();
    } else if (seq > expected) {
      hold(d);
    }
    // seq < expected: already emitted, or already filled from the log
  }

  /** The stream started over: what is held belongs to the old history, the baseline is gone. */
  private void startOver(long newEpoch) {
    epoch = newEpoch;
    expected = 0;
    held = null;
    if (fillTimer >= 0) {
      registry.context.owner().cancelTimer(fillTimer);
      fillTimer = -1;
    }
  }

  private void emitInOrder(Delivery d) {
    expected = d.seq() + 1;
    emit(d);
    if (d.appendedAtMicros() > 0) {
      registry.timer.fannedOut(d.appendedAtMicros());
    }
  }

  private void hold(Delivery d) {
    if (held == null) {
      held = new TreeMap<>();
    }
    if (held.size() >= MAX_HELD) {
      // a fill is slow and the stream busy: holding more would grow without bound. What is dropped
      // leaves a hole that the next fill, or each listener's own catch-up, reads from the log.
      registry.dropped.run();
      if (!filling) {
        fill();
      }
      return;
    }
    held.put(d.seq(), d);
    if (held.size() >= MAX_HELD) {
      fill();
    } else if (fillTimer < 0 && !filling) {
      fillTimer = registry.context.owner().setTimer(REORDER_WAIT_MS, t -> {
        fillTimer = -1;
        fill();
      });
    }
  }

  private void releaseHeld() {
    while (held != null && !held.isEmpty() && held.firstKey() <= expected) {
      Delivery d = held.pollFirstEntry().getValue();
      if (d.seq() == expected) {
        emitInOrder(d);
      }
    }
    if (held != null && held.isEmpty()) {
      held = null;
      if (fillTimer >= 0) {
        registry.context.owner().cancelTimer(fillTimer);
        fillTimer = -1;
      }
    }
  }

  /** Fetches the missing range below the first held message, then releases what is contiguous. */
  private void fill() {
    if (filling || held == null || closed) {
      return;
    }
    if (fillTimer >= 0) {
      registry.context.owner().cancelTimer(fillTimer);
      fillTimer = -1;
    }
    filling = true;
    long fillEpoch = epoch;
    long upTo = held.firstKey() - 1;
    int count = (int) Math.min(upTo - expected + 1, MessageLog.MAX_PAGE);
    OnContext.back(registry.context, registry.log.read(stream, expected, count)).onComplete(ar -> {
      filling = false;
      if (closed || epoch != fillEpoch) {
        return;
      }
      if (ar.succeeded()) {
        emitFilled(ar.result(), upTo);
      } else {
        LOG.debug("gap fill of " + stream + " failed, sessions will catch up themselves: " + ar.cause());
      }
      if (held != null && !held.isEmpty() && held.firstKey() > expected) {
        // what the log could not give is left to each session's own catch-up
        expected = held.firstKey();
      }
      releaseHeld();
      if (held != null && fillTimer < 0) {
        fillTimer = registry.context.owner().setTimer(REORDER_WAIT_MS, t -> {
          fillTimer = -1;
          fill();
        });
      }
    });
  }

  private void emitFilled(ReadResult page, long upTo) {
    if (page.epoch() != epoch) {
      return;
    }
    for (StoredMessage m : page.messages()) {
      if (m.seq() == expected && m.seq() <= upTo) {
        expected++;
        emit(Delivery.message(m, 0));
      }
    }
  }

  /** Deliveries held back, for tests of the bound. */
  int held() {
    return held == null ? 0 : held.size();
  }

  private void emit(Delivery d) {
    emitting = true;
    try {
      int n = listeners.size();
      for (int i = 0; i < n; i++) {
        FeedListener l = listeners.get(i);
        if (l == null) {
          continue;
        }
        try {
          l.onDelivery(d);
        } catch (RuntimeException e) {
          LOG.error("listener of " + stream + " failed", e);
        }
      }
    } finally {
      emitting = false;
      if (removedWhileEmitting) {
        removedWhileEmitting = false;
        listeners.removeIf(l -> l == null);
      }
    }
  }
}
