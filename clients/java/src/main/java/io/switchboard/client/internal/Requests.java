package io.switchboard.client.internal;

import io.switchboard.client.Backoff;
import io.switchboard.client.ErrorCode;
import io.switchboard.client.SwitchboardException;
import org.json.JSONObject;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The requests waiting for their answers (sends, joins, leaves, pings), in the order made: sent only
 * on a welcomed connection, within the client's rate budget, again with the same id after a
 * reconnect, an {@code unavailable} or a request timeout, never after the idempotency window. A send
 * to a room waits until the session follows the room ({@link #held}): the node checks membership
 * when the send arrives, and answers a join only after it has recorded it.
 * Durable sends are the outbox: {@link #outboxDirty} says the stored copy is behind. Confined to the
 * loop thread.
 */
final class Requests {
  private static final Charset UTF8 = Charset.forName("UTF-8");


  private final Options o;
  private final Link link;
  private final RateBudget budget;
  private final List<Op> ops = new ArrayList<Op>();
  private final Map<String, Op> refs = new HashMap<String, Op>();
  private long nextRef = 1;
  private ScheduledFuture<?> pumpTimer;
  boolean outboxDirty;

  Requests(Options o, Link link) {
    this.o = o;
    this.link = link;
    this.budget = new RateBudget(o.maxFramesPerSecond, o.maxFramesBurst);
  }

  int size() {
    return ops.size();
  }

  List<Op> all() {
    return ops;
  }

  /** A send of an earlier process, read from the store: it goes first, as it was made first. */
  void restore(Op op) {
    ops.add(op);
  }

  /** A join made to restore a lost room ({@link LostRooms}): it goes ahead of the sends waiting for it. */
  void first(Op op) {
    ops.add(0, op);
  }

  /** A join made to restore {@code room} waits for its answer. */
  boolean restoring(String room) {
    for (Op op : ops) {
      if (op.restore && room.equals(op.frame.optString("room"))) {
        return true;
      }
    }
    return false;
  }

  /** Sends to {@code room} are queued, and no join or leave of it that they would wait for. */
  boolean waitFor(String room) {
    boolean sends = false;
    for (Op op : ops) {
      if ((op.type.equals(Op.JOIN) || op.type.equals(Op.LEAVE)) && room.equals(op.frame.optString("room"))) {
        return false;
      }
      sends |= op.type.equals(Op.SEND) && ("room:" + room).equals(op.frame.optString("to"));
    }
    return sends;
  }

  /** A new welcome: the budget starts full. */
  void welcomed(long now) {
    budget.reset(now);
  }

  boolean takeBudget(long now) {
    return budget.take(now);
  }

  /** Queues a request, or fails it when it cannot be (too large for the node, the queue full). */
  void add(Op op) {
    JSONObject sized = copyWithRef(op.frame, "r1000000000");
    int bytes = sized.toString().getBytes(UTF8).length;
    if (bytes > o.maxFrameBytes) {
      op.completion.fail(new SwitchboardException(ErrorCode.TOO_LARGE, ErrorCode.TOO_LARGE.wire(),
          "the frame would be " + bytes + " bytes, over maxFrameBytes (" + o.maxFrameBytes + ")", op.id, false, 0, null));
      return;
    }
    if (ops.size() >= o.maxQueue) {
      op.completion.fail(new SwitchboardException(ErrorCode.QUEUE_FULL, ErrorCode.QUEUE_FULL.wire(),
          ops.size() + " requests are waiting (maxQueue " + o.maxQueue + "); this one was not queued", op.id, false, 0, null));
      return;
    }
    ops.add(op);
    if (op.durable) {
      // in the store before it can reach the node: OkHttp writes from its own thread, and a send the
      // node stored while the store did not have it would be lost to the next process's outbox
      outboxDirty = true;
      link.saveOutbox();
    }
    pump();
  }

  /** Sends what may be sent now; schedules the rest. */
  void pump() {
    if (!link.ready()) {
      return;
    }
    long t = Loop.now();
    long wall = System.currentTimeMillis();
    long wakeAt = Long.MAX_VALUE;
    Set<Op> held = held();
    for (Op op : new ArrayList<Op>(ops)) {
      if (op.inflight || held.contains(op)) {
        continue;
      }
      if (op.notBefore > t) {
        wakeAt = Math.min(wakeAt, op.notBefore);
        continue;
      }
      if (op.firstSentWall > 0 && op.durable && wall - op.firstSentWall >= o.idempotencyWindowMs) {
        // the node remembers the id this long after it stored the message: a retry now could store it twice
        settle(op);
        op.completion.fail(new SwitchboardException(ErrorCode.OUTCOME_UNKNOWN, ErrorCode.OUTCOME_UNKNOWN.wire(),
            "no answer within the idempotency window: the message may or may not have been stored; not retried",
            op.id, true, 0, null));
        continue;
      }
      if (!budget.take(t)) {
        wakeAt = Math.min(wakeAt, t + budget.waitMs());
        break;
      }
      transmit(op, t, wall);
    }
    Loop.cancel(pumpTimer);
    pumpTimer = null;
    if (wakeAt != Long.MAX_VALUE) {
      pumpTimer = link.schedule(new Runnable() {
        @Override
        public void run() {
          pump();
        }
      }, Math.max(1, wakeAt - t));
    }
    if (outboxDirty) {
      link.saveOutbox();
    }
  }

  /**
   * The sends to a room that wait: those queued after a join or leave of the room, until it is
   * answered; those to a room the session does not follow, while a join of it is queued (even one
   * made after the send: an application that joins its rooms again when welcomed). Pumped again
   * when a join or leave is answered.
   */
  private Set<Op> held() {
    Set<String> joining = new HashSet<String>();
    for (Op op : ops) {
      if (op.type.equals(Op.JOIN)) {
        joining.add(op.frame.optString("room"));
      }
    }
    Set<String> before = new HashSet<String>();
    Set<Op> held = new HashSet<Op>();
    for (Op op : ops) {
      if (op.type.equals(Op.JOIN) || op.type.equals(Op.LEAVE)) {
        before.add(op.frame.optString("room"));
      } else if (op.type.equals(Op.SEND) && op.frame.optString("to").startsWith("room:")) {
        String to = op.frame.optString("to");
        String room = to.substring("room:".length());
        if (before.contains(room) || (joining.contains(room) && !link.follows(to))) {
          held.add(op);
        }
      }
    }
    return held;
  }

  private void transmit(Op op, long t, long wall) {
    String ref = "r" + nextRef++;
    op.refs.add(ref);
    refs.put(ref, op);
    op.inflight = true;
    op.sentAt = t;
    if (op.firstSentWall == 0) {
      op.firstSentWall = wall;
      if (op.durable) {
        outboxDirty = true;
      }
    }
    op.transmissions++;
    link.send(copyWithRef(op.frame, ref));
  }

  /** The request an answer's {@code ref} names, or null (not ours, or already answered). */
  Op byRef(Object ref) {
    return ref == null ? null : refs.get(String.valueOf(ref));
  }

  /**
   * An {@code unavailable} answer: retried later with the same id while retries are left.
   *
   * @return false when none are left (the caller fails the request)
   */
  boolean retryLater(Op op) {
    if (op.retries >= o.sendRetries) {
      return false;
    }
    op.retries++;
    op.inflight = false;
    unref(op);
    op.notBefore = Loop.now() + Backoff.delay(op.retries - 1, o.retryBaseMs, o.retryCapMs, o.random.nextDouble());
    pump();
    return true;
  }

  /** Unanswered too long on a live connection (the node drops rate-limited frames unnamed): again, same id. */
  void resendTimedOut(long t) {
    boolean resend = false;
    for (Op op : ops) {
      if (op.inflight && t - op.sentAt > o.requestTimeoutMs) {
        op.inflight = false;
        resend = true;
      }
    }
    if (resend) {
      pump();
    }
  }

  /** Answered (or given up): no longer waiting. */
  void settle(Op op) {
    unref(op);
    if (ops.remove(op) && op.durable) {
      outboxDirty = true;
    }
  }

  /** The connection is gone: every request goes again on the next one, except those that never wait. */
  void disconnected() {
    Loop.cancel(pumpTimer);
    pumpTimer = null;
    refs.clear();
    for (Op op : ops) {
      op.inflight = false;
      op.refs.clear();
    }
    failWhere(false, ErrorCode.OFFLINE, "the connection was lost before an answer", 0);
  }

  /** Fails every request ({@code all}) or those that do not wait for a connection. */
  void failWhere(boolean all, ErrorCode code, String message, int closeCode) {
    for (Op op : new ArrayList<Op>(ops)) {
      if (all || !op.queue) {
        settle(op);
        op.completion.fail(new SwitchboardException(code, code.wire(), message, op.id, op.maybeSent(), closeCode, null));
      }
    }
  }

  /** Sends made as another user (the store was shared, the app switched users) must not go as this one. */
  void failOtherUsers(String sub) {
    if (sub == null) {
      return;
    }
    for (Op op : new ArrayList<Op>(ops)) {
      if (op.durable && op.user != null && !op.user.equals(sub)) {
        settle(op);
        op.completion.fail(new SwitchboardException(ErrorCode.CLOSED, ErrorCode.CLOSED.wire(),
            "this send was made as " + op.user + "; the token is now for " + sub, op.id, op.maybeSent(), 0, null));
      }
    }
  }

  private void unref(Op op) {
    for (String r : op.refs) {
      refs.remove(r);
    }
    op.refs.clear();
  }

  private static JSONObject copyWithRef(JSONObject frame, String ref) {
    JSONObject f = new JSONObject();
    Iterator<String> k = frame.keys();
    while (k.hasNext()) {
      String key = k.next();
      Json.put(f, key, frame.opt(key));
    }
    return Json.put(f, "ref", ref);
  }
}
