package io.switchboard.routing;

import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.switchboard.util.OnContext;
import io.vertx.core.Context;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.List;

/**
 * One event loop's reader of the control log: applies each {@link ControlEvent} once, in log order,
 * whether it came over the bus or only from the log (a hole in the seqs, or the head read by the
 * {@link HeadWatch} sweep). Confined to its event loop.
 *
 * <p>Until the loop knows its place in the log (the head read at start, or the first event to
 * arrive) it applies what the bus brings as it comes; no session of the loop can be older than that.
 */
public final class ControlChannel implements Watched {

  /** What the loop does with the events. */
  public interface Handler {

    void apply(ControlEvent event);

    /**
     * The log no longer holds events this loop did not apply (trimmed while the node was cut off
     * or frozen): its sessions may have missed a kick or a membership change.
     */
    void lost(long from, long to);
  }

  private static final Logger LOG = LoggerFactory.getLogger(ControlChannel.class);
  static final int PAGE = 100;

  private final Context context;
  private final MessageLog log;
  private final Handler handler;
  /** The last event applied; null until known. */
  private Position at;
  private boolean reading;
  private boolean readAgain;

  ControlChannel(Context context, MessageLog log, Handler handler) {
    this.context = context;
    this.log = log;
    this.handler = handler;
  }

  @Override
  public String stream() {
    return ControlLog.STREAM;
  }

  @Override
  public boolean isClosed() {
    return false;
  }

  /** The last event applied (null before the loop knows its place in the log). */
  public Position position() {
    return at;
  }

  public void onDelivery(Delivery d) {
    if (at == null) {
      at = new Position(d.seq(), d.epoch());
      apply(d.frame(), d.appendedAtMicros() / 1000);
      return;
    }
    if (d.epoch() < at.epoch() || (d.epoch() == at.epoch() && d.seq() <= at.seq())) {
      return;
    }
    if (!reading && d.epoch() == at.epoch() && d.seq() == at.seq() + 1) {
      at = new Position(d.seq(), d.epoch());
      apply(d.frame(), d.appendedAtMicros() / 1000);
      return;
    }
    catchUp();
  }

  @Override
  public void headRead(Position head) {
    if (at == null) {
      at = head;
    } else if (head.compareTo(at) > 0) {
      catchUp();
    }
  }

  private void catchUp() {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    readAgain = false;
    Position from = at;
    OnContext.back(context, log.read(ControlLog.STREAM, from.seq() + 1, PAGE)).onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        // the next sweep, or the next event, tries again
        LOG.debug("control log unreadable: " + ar.cause());
        return;
      }
      if (replayed(from, ar.result()) || readAgain) {
        catchUp();
      }
    });
  }

  /** @return whether to read on */
  private boolean replayed(Position from, ReadResult page) {
    if (page.epoch() < at.epoch()) {
      // the store lost the control log (data loss): what follows comes with a new, higher epoch
      return false;
    }
    if (page.epoch() > at.epoch()) {
      // a new history (the log was idle past its life, or lost): all of it is new to this loop
      at = new Position(0, page.epoch());
      return page.head() > 0;
    }
    if (at.seq() + 1 < page.firstAvailable()) {
      handler.lost(at.seq() + 1, page.firstAvailable() - 1);
      at = new Position(page.firstAvailable() - 1, at.epoch());
    }
    List<StoredMessage> messages = page.messages();
    for (StoredMessage m : messages) {
      if (m.seq() == at.seq() + 1) {
        at = new Position(m.seq(), m.epoch());
        apply(m.body(), m.ts());
      }
    }
    return messages.size() == PAGE || page.head() > at.seq();
  }

  private void apply(String json, long at) {
    try {
      handler.apply(ControlEvent.fromJson(json, at));
    } catch (RuntimeException e) {
      LOG.error("control event could not be applied: " + json, e);
    }
  }
}
