package io.switchboard.client.internal;

import io.switchboard.client.Gap;
import io.switchboard.client.Joined;
import io.switchboard.client.Left;
import io.switchboard.client.Message;
import io.switchboard.client.Position;
import io.switchboard.client.Reset;
import io.switchboard.client.Resumed;
import org.json.JSONArray;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * The streams a session receives and what arrives on them: the protocol's rule 2 (resume, drop
 * duplicates by seq, say gaps and resets) and rule 4 (acks in batches). Positions move in two steps
 * ({@link Positions}): live when a frame arrives, durable once the application's listener has
 * returned. Confined to the loop thread.
 */
final class Streams {

  private final Options o;
  private final Link link;
  private final Events events;
  private final LostRooms lostRooms;
  final Positions positions = new Positions();
  private Set<String> streams = new HashSet<String>();
  private final Map<String, Integer> catchingUp = new HashMap<String, Integer>();
  /** Epochs the welcome gave for streams without a position yet: their first position takes it. */
  private final Map<String, String> welcomeEpochs = new HashMap<String, String>();
  private Catchup catchup;
  /** The last moment the client knew it was connected (ms since the epoch), 0 while connected. */
  long offlineFrom;
  private final Map<String, Position> acksWanted = new LinkedHashMap<String, Position>();
  private final Map<String, Long> acksSent = new HashMap<String, Long>();
  private ScheduledFuture<?> ackTimer;

  Streams(Options o, Link link, Events events, LostRooms lostRooms) {
    this.o = o;
    this.link = link;
    this.events = events;
    this.lostRooms = lostRooms;
  }

  boolean follows(String stream) {
    return streams.contains(stream);
  }

  /** The streams received, sorted. */
  List<String> followed() {
    List<String> all = new ArrayList<String>(streams);
    Collections.sort(all);
    return all;
  }

  /**
   * A welcome: the streams it lists are those received from now on, each caught up until its
   * {@code resumed}.
   *
   * @return each stream's head and epoch at connect time
   */
  Map<String, Position> welcome(JSONObject info) {
    Map<String, Position> heads = new LinkedHashMap<String, Position>();
    Set<String> now = new HashSet<String>();
    Iterator<String> keys = info.keys();
    while (keys.hasNext()) {
      now.add(keys.next());
    }
    lostRooms.welcome(now, streams, positions.live);
    streams = now;
    for (String s : new ArrayList<String>(positions.live.keySet())) {
      if (!streams.contains(s) && !lostRooms.awaitsRejoin(s)) {
        // no longer received (left elsewhere, or the token no longer allows it): forget
        positions.live.remove(s);
        changed(s, null);
      }
    }
    welcomeEpochs.clear();
    for (String s : streams) {
      JSONObject e = info.optJSONObject(s);
      Object ep = e == null ? null : e.opt("epoch");
      String epoch = Positions.isEpoch(ep) ? (String) ep : null;
      long head = e == null ? 0 : Json.number(e, "head", 0);
      heads.put(s, new Position(head, epoch));
      if (epoch != null) {
        Position held = positions.live(s);
        if (held == null) {
          // the node starts the stream in its current history (or says reset first)
          welcomeEpochs.put(s, epoch);
        } else if ((held.getEpoch() == null || held.getEpoch().isEmpty()) && held.getSeq() <= head) {
          // the node takes a position without a history to be in the current one; above the head it
          // cannot be, and the node's reset follows (as for a position in another epoch)
          positions.live.put(s, new Position(held.getSeq(), epoch));
          changed(s, null);
        }
      }
      catchingUp.put(s, 0);
    }
    catchup = new Catchup(offlineFrom, System.currentTimeMillis());
    return heads;
  }

  /** A welcome listing no stream has nothing to catch up. */
  void finishCatchupIfIdle() {
    if (catchingUp.isEmpty()) {
      finishCatchup();
    }
  }

  void disconnected(boolean wasWelcomed) {
    if (wasWelcomed) {
      offlineFrom = System.currentTimeMillis();
    }
    Loop.cancel(ackTimer);
    ackTimer = null;
    acksWanted.clear();
    acksSent.clear();
    catchingUp.clear();
    catchup = null;
  }

  void message(JSONObject m) {
    final String stream = Json.string(m, "stream");
    if (stream == null) {
      return;
    }
    long seq = Json.number(m, "seq", -1);
    String id = Json.string(m, "id");
    String from = Json.string(m, "from");
    Object body = m.opt("body");
    long ts = Json.number(m, "ts", 0);
    if (!m.has("seq")) {
      final Message msg = new Message(stream, 0, null, id, from, body, ts, false, true);
      events.emit(l -> l.onMessage(msg));
      return;
    }
    if (seq < 0) {
      return;
    }
    Position last = positions.live(stream);
    if (last != null && seq <= last.getSeq()) {
      return; // a duplicate: already delivered to the application
    }
    String epoch = epochOf(stream);
    positions.live.put(stream, new Position(seq, epoch));
    streams.add(stream); // e.g. a room joined by another session, before its `joined`
    boolean replaying = catchingUp.containsKey(stream);
    if (replaying) {
      catchingUp.put(stream, catchingUp.get(stream) + 1);
    }
    final Message msg = new Message(stream, seq, epoch, id, from, body, ts, replaying, false);
    changed(stream, l -> l.onMessage(msg));
  }

  void reset(JSONObject r) {
    final String s = Json.string(r, "stream");
    Object ep = r.opt("epoch");
    if (s == null || !Positions.isEpoch(ep)) {
      return;
    }
    String epoch = (String) ep;
    Position held = positions.live(s);
    final Long last = held != null ? Long.valueOf(held.getSeq()) : null;
    String was = epochOf(s);
    positions.live.put(s, new Position(0, epoch));
    // acks of the old history would name seqs of the new one: the node refuses or misreads them
    acksWanted.remove(s);
    acksSent.remove(s);
    if ("".equals(was) && (last == null || last == 0) && !epoch.isEmpty()) {
      // seq 0 of a stream without history: the node only tells the epoch its first message started
      changed(s, null);
      return;
    }
    final Reset reset = new Reset(s, epoch, last);
    if (catchup != null) {
      catchup.resets.add(reset);
    }
    changed(s, l -> l.onReset(reset));
  }

  void gap(JSONObject g) {
    String s = Json.string(g, "stream");
    if (s == null) {
      return;
    }
    long from = Json.number(g, "from", 0);
    long to = Json.number(g, "to", 0);
    Position held = positions.live(s);
    if (held == null || held.getSeq() < to) {
      positions.live.put(s, new Position(to, epochOf(s)));
    }
    final Gap gap = new Gap(s, from, to);
    if (catchup != null) {
      catchup.gaps.add(gap);
    }
    changed(s, l -> l.onGap(gap));
  }

  void resumed(JSONObject r) {
    String s = Json.string(r, "stream");
    if (s == null) {
      return;
    }
    long to = Json.number(r, "to", -1);
    if (to >= 0) {
      // even an empty replay fixes the position (to = 0 included): without it, the next hello would
      // not name this stream and the node would start it at its head, skipping what came meanwhile
      Position held = positions.live(s);
      if (held == null || held.getSeq() < to) {
        positions.live.put(s, new Position(to, epochOf(s)));
        changed(s, null);
      }
    }
    Integer n = catchingUp.remove(s);
    if (catchup != null) {
      catchup.count += n != null ? n : 0;
      catchup.streams.put(s, n != null ? n : 0);
    }
    finishCatchupIfIdle();
  }

  /**
   * A {@code joined} or {@code left}, answered to this session ({@code elsewhere} false) or not;
   * {@code restored}: the answer to a join the client made itself ({@link LostRooms}).
   */
  Object membership(JSONObject f, String type, final boolean elsewhere, boolean restored) {
    String room = Json.string(f, "room");
    String stream = "room:" + room;
    if (type.equals("joined")) {
      long head = Json.number(f, "head", 0);
      Object ep = f.opt("epoch");
      String epoch = Positions.isEpoch(ep) ? (String) ep : null;
      if (!streams.contains(stream)) {
        // delivery starts after head; a session that already follows the room keeps its position
        streams.add(stream);
        if (lostRooms.contains(stream)) {
          lostHistory(stream, lostRooms.take(stream), epoch);
        }
        Position held = positions.live(stream);
        boolean keep = held != null && held.getSeq() >= head
            && (held.getEpoch() == null ? epoch == null : held.getEpoch().equals(epoch));
        if (!keep) {
          positions.live.put(stream, new Position(head, epoch));
          changed(stream, null);
        }
      }
      List<String> online = new ArrayList<String>();
      JSONArray a = f.optJSONArray("online");
      for (int i = 0; a != null && i < a.length(); i++) {
        online.add(a.optString(i));
      }
      final Joined j = new Joined(room, head, epoch, online, (int) Json.number(f, "onlineCount", online.size()), elsewhere,
          restored);
      if (elsewhere || restored) {
        events.emit(l -> l.onJoined(j));
      }
      return j;
    }
    streams.remove(stream);
    if (positions.live.remove(stream) != null) {
      changed(stream, null);
    }
    acksWanted.remove(stream);
    catchingUp.remove(stream);
    final Left left = new Left(room, elsewhere);
    if (elsewhere) {
      events.emit(l -> l.onLeft(left));
    }
    return left;
  }

  /**
   * A room followed again after it was lost, in history {@code epoch}: if the position held was in
   * another one (a node that lost its store), what was sent after it is gone, as a reset frame would
   * have said. Seq 0 of a room without history held nothing to lose.
   */
  private void lostHistory(String stream, Position held, String epoch) {
    if (held == null || held.getEpoch() == null || epoch == null || held.getEpoch().equals(epoch)
        || (held.getEpoch().isEmpty() && held.getSeq() == 0)) {
      return;
    }
    final Reset reset = new Reset(stream, epoch, Long.valueOf(held.getSeq()));
    if (catchup != null) {
      catchup.resets.add(reset);
    }
    events.emit(l -> l.onReset(reset));
  }

  private String epochOf(String stream) {
    Position held = positions.live(stream);
    return held != null ? held.getEpoch() : welcomeEpochs.get(stream);
  }

  private void finishCatchup() {
    if (catchup == null) {
      return;
    }
    Catchup c = catchup;
    catchup = null;
    offlineFrom = 0;
    final Resumed resumed = new Resumed(c.offlineFrom, c.offlineTo, c.count, c.streams, c.gaps, c.resets);
    events.emit(l -> l.onResumed(resumed));
  }

  /**
   * A stream's live position changed, with or without an application event: once the event has run
   * on the callback executor (and every event before it), the durable copy takes that position.
   */
  private void changed(final String stream, Events.Event event) {
    final Position snapshot = positions.live(stream);
    events.then(event, () -> link.onLoop(() -> processed(stream, snapshot)));
  }

  private void processed(String stream, Position p) {
    positions.setDurable(stream, p);
    if (positions.dirty) {
      link.schedulePersist();
    }
    if (p != null && p.getSeq() > 0 && o.device != null) {
      wantAck(stream, p);
    }
  }

  private void wantAck(String stream, Position p) {
    Position w = acksWanted.get(stream);
    if (w != null && w.getSeq() >= p.getSeq()) {
      return;
    }
    acksWanted.put(stream, p);
    if ((ackTimer == null || ackTimer.isDone()) && link.ready()) {
      ackTimer = link.schedule(() -> flushAcks(false), o.ackIntervalMs);
    }
  }

  /** One cumulative ack per stream that moved, within the rate budget unless closing. */
  void flushAcks(boolean unbudgeted) {
    if (!link.ready()) {
      return;
    }
    boolean deferred = false;
    long t = Loop.now();
    for (Iterator<Map.Entry<String, Position>> it = acksWanted.entrySet().iterator(); it.hasNext();) {
      Map.Entry<String, Position> e = it.next();
      String s = e.getKey();
      Position p = e.getValue();
      Position live = positions.live(s);
      Long sent = acksSent.get(s);
      // an ack names no epoch: only one of the history the session is in, for a seq it delivered
      boolean sameHistory = live != null && (live.getEpoch() == null ? p.getEpoch() == null : live.getEpoch().equals(p.getEpoch()));
      if (!streams.contains(s) || !sameHistory || p.getSeq() > live.getSeq() || (sent != null && sent >= p.getSeq())) {
        it.remove();
        continue;
      }
      if (!unbudgeted && !link.takeBudget(t)) {
        deferred = true;
        continue;
      }
      link.send(Json.put(Json.put(Json.put(Json.object(), "type", "ack"), "stream", s), "seq", p.getSeq()));
      acksSent.put(s, p.getSeq());
      it.remove();
    }
    if (deferred) {
      ackTimer = link.schedule(() -> flushAcks(false), o.ackIntervalMs);
    }
  }

  private static final class Catchup {
    final long offlineFrom;
    final long offlineTo;
    int count;
    final Map<String, Integer> streams = new LinkedHashMap<String, Integer>();
    final List<Gap> gaps = new ArrayList<Gap>();
    final List<Reset> resets = new ArrayList<Reset>();

    Catchup(long offlineFrom, long offlineTo) {
      this.offlineFrom = offlineFrom;
      this.offlineTo = offlineTo;
    }
  }
}
