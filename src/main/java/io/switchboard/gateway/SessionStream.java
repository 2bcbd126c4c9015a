package io.switchboard.gateway;

import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.routing.Delivery;
import io.switchboard.routing.FeedListener;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.switchboard.util.OnContext;

/**
 * One session's position in one stream: the epoch it is in and the next seq it must receive.
 *
 * <p>Live messages equal to that seq are written; lower ones are duplicates and dropped; a higher one
 * means something was missed (event-bus loss, reordering, or the session just attached), so the
 * session catches up from the log, then goes live again. This is what makes delivery exactly-once
 * and in order per session whatever the event bus does.
 *
 * <p>Seqs count within an epoch. A message or a page of the log of a newer epoch means the stream
 * started over: the client is told with {@code reset}, and the session starts again at seq 1 of the
 * new epoch. Anything of an older epoch is stale and dropped.
 */
final class SessionStream implements FeedListener {

  static final int PAGE = 100;
  /** Reads that find nothing the bus claimed exists before concluding the log lost it. */
  private static final int MAX_FRUITLESS_READS = 3;
  private static final long MAX_RETRY_MS = 5_000;

  private final Session session;
  private final String stream;
  private long epoch;
  private long next;
  /** Until {@link #start} the position is unknown: live messages are only noted. */
  private boolean catchingUp = true;
  private boolean started;
  private boolean reading;
  /** The socket's outbound queue was full: nothing is written until it drains, then the log is read. */
  private boolean stalled;
  /** A failed read will be retried by a timer. */
  private boolean retrying;
  /** Highest seq of the current epoch announced live but not delivered yet. */
  private long liveMax;
  private long replayFirst = -1;
  private boolean announceResumed;
  private int fruitless;
  private int retries;
  private Position ackPending = Position.NONE;
  private Position ackSaved = Position.NONE;
  private boolean cursorKnown;
  private boolean ackInFlight;
  /** A reset was written on this session: acks of the old history may still be on their way. */
  private boolean startedOver;

  SessionStream(Session session, String stream) {
    this.session = session;
    this.stream = stream;
  }

  String stream() {
    return stream;
  }

  /** The next seq this session should receive; everything below it (in {@link #epoch()}) was delivered. */
  long next() {
    return next;
  }

  long epoch() {
    return epoch;
  }

  /** Whether this session told its client the stream started over. */
  boolean startedOver() {
    return startedOver;
  }

  /** The device's stored cursor, so acks at or below it cost no write. */
  void cursorLoaded(Position cursor) {
    ackSaved = cursor;
    ackPending = cursor;
    cursorKnown = true;
  }

  /**
   * Delivers from seq {@code from} of {@code epoch}: replays what the log holds, then goes live.
   * Only the first call counts.
   *
   * @param announce whether to send {@code resumed} when the replay is done (hello does, joins do not)
   * @param reset    whether the client's position was in another epoch: it is told before anything else
   */
  void start(long epoch, long from, boolean announce, boolean reset) {
    if (begin(epoch, from, announce, reset)) {
      catchUp();
    }
  }

  /**
   * The hello's start: {@code head} was read after this stream's consumer registered (and, for a
   * user stream routed by presence, after presence counted the session), so whatever is appended
   * after that read reaches the consumer, and nothing the log holds lies at or above {@code from}
   * when {@code from} is past the head. Unless something noted live since is due, the stream then
   * goes live without reading the log: a connect or a resume with nothing missed reads nothing per
   * stream. Where a publisher may still miss a consumer this new for a moment
   * ({@link io.switchboard.routing.StreamBus#mayMissNewConsumer}), the head is read again a moment
   * later, with this stream started, so what such a publisher missed is read then.
   */
  void startAfterHead(Position head, long from, boolean reset) {
    boolean notedSinceHead = epoch != 0 && (epoch != head.epoch() || liveMax >= from);
    if (from <= head.seq() || notedSinceHead) {
      start(head.epoch(), from, true, reset);
      return;
    }
    if (begin(head.epoch(), from, true, reset)) {
      finishCatchUp();
      if (session.services().bus().mayMissNewConsumer(stream)) {
        session.manager.feeds().checkSoon(stream);
      }
    }
  }

  /** Sets the position; false when it was set before or there is nothing more to do. */
  private boolean begin(long epoch, long from, boolean announce, boolean reset) {
    if (started) {
      // a second join racing the first: the position set first stands
      return false;
    }
    started = true;
    if (this.epoch != epoch) {
      // what was noted live belongs to another epoch: the first read finds out which is current
      liveMax = 0;
    }
    this.epoch = epoch;
    next = from;
    announceResumed = announce;
    replayFirst = -1;
    if (reset) {
      startedOver = true;
      session.write(ServerFrames.reset(stream, Position.wireEpoch(epoch)), FrameType.RESET);
    }
    if (session.device != null && (!cursorKnown || reset || new Position(from - 1, epoch).compareTo(ackSaved) > 0)) {
      // record where the device starts, or a device that leaves before acking anything would start at
      // a later head next time and miss what came in between
      recordStart(new Position(from - 1, epoch));
    }
    return true;
  }

  private void recordStart(Position at) {
    cursorKnown = true;
    ackSaved = at;
    ackPending = at;
    session.services().store().saveCursor(session.user(), session.device, stream, at);
  }

  @Override
  public void onDelivery(Delivery d) {
    if (!session.isOpen() && d.kind() != Delivery.Kind.MESSAGE) {
      return;
    }
    switch (d.kind()) {
      case PRESENCE:
        if (!session.user().equals(d.skipUser())) {
          writeOrDrop(d, FrameType.PRESENCE);
        }
        break;
      case MESSAGE:
        if (d.ordered()) {
          live(d);
        } else if (session.isOpen() && !session.id.equals(d.skipSession())) {
          writeOrDrop(d, FrameType.MESSAGE);
        }
        break;
      default:
        // control deliveries reach sessions through SessionManager, not through streams
    }
  }

  @Override
  public boolean behind(Position head) {
    return started && head.compareTo(new Position(next - 1, epoch)) > 0;
  }

  /** Presence and transient frames are best effort: at a full queue they are dropped, not queued. */
  private void writeOrDrop(Delivery d, String type) {
    if (session.backlogged()) {
      session.services().metrics().withheld(type);
    } else {
      session.write(d, type);
    }
  }

  private void live(Delivery d) {
    if (!started) {
      // the position is not known yet: only note what exists, the start decides what is delivered
      if (d.epoch() > epoch) {
        epoch = d.epoch();
        liveMax = 0;
      }
      if (d.epoch() == epoch) {
        liveMax = Math.max(liveMax, d.seq());
      }
      return;
    }
    if (d.epoch() < epoch) {
      return;
    }
    if (d.epoch() > epoch) {
      newEpoch(d.epoch());
      liveMax = d.seq();
      catchUp();
      return;
    }
    long seq = d.seq();
    if (catchingUp || stalled) {
      liveMax = Math.max(liveMax, seq);
    } else if (seq == next) {
      if (session.backlogged()) {
        liveMax = seq;
        stall();
        return;
      }
      session.write(d, FrameType.MESSAGE);
      next++;
    } else if (seq > next) {
      liveMax = seq;
      catchUp();
    }
  }

  /**
   * The stream started over with {@code newEpoch}; the client is told with {@code reset}, even when
   * the stream had no history before (its position was 0 and it loses nothing): the client must learn
   * the epoch, or it could not resume in it later.
   */
  private void newEpoch(long newEpoch) {
    epoch = newEpoch;
    next = 1;
    liveMax = 0;
    fruitless = 0;
    // the replay in progress, if any, was of the old history; the new one is replayed in full
    replayFirst = -1;
    startedOver = true;
    session.write(ServerFrames.reset(stream, Position.wireEpoch(newEpoch)), FrameType.RESET);
    if (session.device != null) {
      recordStart(new Position(0, newEpoch));
    }
  }

  private void stall() {
    stalled = true;
    session.services().metrics().withheld(FrameType.MESSAGE);
    session.stalled(this);
  }

  /**
   * For the sweep: a stream that is catching up with no read in flight, no retry due and no full
   * queue to wait for has lost what should have woken it; it reads again. Returns whether it had.
   */
  boolean nudge() {
    if (!started || !catchingUp || reading || stalled || retrying || session.isClosed()) {
      return false;
    }
    catchUp();
    return true;
  }

  /** The outbound queue drained: what was held back is read from the log, like any catch-up. */
  void unstall() {
    stalled = false;
    catchUp();
  }

  private void catchUp() {
    catchingUp = true;
    if (!started || reading || stalled || session.isClosed()) {
      return;
    }
    reading = true;
    long readEpoch = epoch;
    Services services = session.services();
    OnContext.back(session.manager.context(), services.store().read(stream, next, PAGE)).onComplete(ar -> {
      reading = false;
      if (session.isClosed() || !session.receives(this)) {
        return;
      }
      if (ar.failed()) {
        long delay = Math.min(MAX_RETRY_MS, 100L << Math.min(retries++, 6));
        retrying = true;
        session.manager.context().owner().setTimer(delay, t -> {
          retrying = false;
          catchUp();
        });
        return;
      }
      retries = 0;
      if (epoch != readEpoch) {
        // a newer epoch arrived live while reading: the page is of the old history
        catchUp();
        return;
      }
      replayed(ar.result());
    });
  }

  private void replayed(ReadResult page) {
    if (page.epoch() > epoch) {
      newEpoch(page.epoch());
      catchUp();
      return;
    }
    if (page.epoch() < epoch) {
      // the stream has no history anymore (forgotten after its idle life, or its store lost it):
      // nothing more of this epoch will come; a new history arrives with a newer epoch
      liveMax = next - 1;
      finishCatchUp();
      return;
    }
    long before = next;
    if (next < page.firstAvailable() && next <= page.head()) {
      long to = Math.min(page.firstAvailable() - 1, page.head());
      session.write(ServerFrames.gap(stream, next, to), FrameType.GAP);
      next = to + 1;
    }
    long last = -1;
    for (StoredMessage m : page.messages()) {
      last = m.seq();
      if (m.seq() == next) {
        if (session.backlogged()) {
          // a long replay must not queue a whole backlog on a slow socket: go on once it drains
          stall();
          return;
        }
        if (replayFirst < 0) {
          replayFirst = next;
        }
        session.write(ServerFrames.message(stream, m.seq(), m.id(), m.from(), m.body(), m.ts()), FrameType.MESSAGE);
        next++;
      }
    }
    fruitless = next > before ? 0 : fruitless + 1;
    if (liveMax >= next && fruitless >= MAX_FRUITLESS_READS) {
      // the bus announced seqs the log does not have (a store that lost data): stop waiting for them
      liveMax = next - 1;
    }
    boolean more = page.messages().size() == PAGE || liveMax >= next || last >= next;
    if (more) {
      catchUp();
      return;
    }
    finishCatchUp();
  }

  private void finishCatchUp() {
    catchingUp = false;
    if (announceResumed) {
      announceResumed = false;
      session.write(ServerFrames.resumed(stream, replayFirst < 0 ? next : replayFirst, next - 1), FrameType.RESUMED);
    }
  }

  /** Cumulative ack; cursor writes are coalesced so a fast acker costs one write in flight at a time. */
  void ack(long seq) {
    Position at = new Position(seq, epoch);
    if (session.device == null || at.compareTo(ackPending) <= 0) {
      return;
    }
    ackPending = at;
    flushAck();
  }

  void flushAck() {
    if (ackInFlight || ackPending.compareTo(ackSaved) <= 0 || session.device == null) {
      return;
    }
    ackInFlight = true;
    Position at = ackPending;
    Services services = session.services();
    OnContext.back(session.manager.context(),
        services.store().saveCursor(session.user(), session.device, stream, at)).onComplete(ar -> {
          ackInFlight = false;
          if (ar.succeeded()) {
            if (at.compareTo(ackSaved) > 0) {
              ackSaved = at;
            }
            flushAck();
          }
          // on failure the next ack retries; the cursor only lags, the client's own resume map still holds
        });
  }
}
