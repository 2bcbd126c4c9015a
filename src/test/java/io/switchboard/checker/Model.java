package io.switchboard.checker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The reference model's shared half: what every session saw of every stream (so two sessions, the
 * log and the senders can be held against each other), the faults' time windows, and the
 * violations found. The per-session half is {@link Conn}.
 */
final class Model {

  /** One observation of a stream entry: delivered to a session, answered to a sender, or read from the log. */
  record Seen(String id, String from, String body, String where, int event) {
  }

  record SentAnswer(String user, String device, String stream, long seq, String epoch, String id, int event) {
  }

  record Gap(String device, String user, String stream, String epoch, long from, long to, int event) {
  }

  /** A fresh send of one session, in the order the frames went out. */
  record Fresh(int order, String stream, long seq, String epoch, String id, int event) {
  }

  final Trace trace;
  final Contract contract;
  private final List<Violation> violations = new ArrayList<>();
  private final Map<String, TreeMap<Long, Seen>> seen = new HashMap<>();
  private final List<SentAnswer> sent = new ArrayList<>();
  private final List<Gap> gaps = new ArrayList<>();
  private final List<long[]> redisOutages = new ArrayList<>();
  private final Map<String, java.util.Set<String>> streamEpochs = new HashMap<>();
  /** Whether the server names stream epochs (welcome.streams[s].epoch); null until the first welcome. */
  private volatile Boolean epochs;

  Model(Trace trace, Contract contract) {
    this.trace = trace;
    this.contract = contract;
  }

  boolean epochs() {
    return Boolean.TRUE.equals(epochs);
  }

  void epochsSeen(boolean present) {
    if (epochs == null) {
      epochs = present;
      trace.add("check", null, null, null, "the server " + (present ? "names" : "does not name") + " stream epochs");
    }
  }

  synchronized void violation(Check check, String device, String user, String stream, int event, String detail) {
    if (contract.skipped.contains(check)) {
      return;
    }
    for (Violation v : violations) {
      if (v.check() == check && java.util.Objects.equals(v.device(), device) && java.util.Objects.equals(v.user(), user)
          && java.util.Objects.equals(v.stream(), stream) && v.detail().equals(detail)) {
        return; // the same finding at a later checkpoint
      }
    }
    if (violations.size() < 1000) {
      violations.add(new Violation(check, device, user, stream, event, detail));
    }
    trace.add("VIOLATION", device, user, stream, check + ": " + detail);
  }

  synchronized List<Violation> violations() {
    return new ArrayList<>(violations);
  }

  // ---- faults that limit what the checker can count on ---------------------------------------

  /** A fault during which a node's store writes may be lost (Redis down, a node frozen or killed) began. */
  synchronized long[] faultBegan(long t) {
    long[] window = {t, Long.MAX_VALUE};
    redisOutages.add(window);
    return window;
  }

  synchronized void faultEnded(long[] window, long t) {
    window[1] = t;
  }

  /** Whether a store write attempted at {@code t} had {@code ms} without faults to land. */
  synchronized boolean quietDuring(long t, long ms) {
    for (long[] o : redisOutages) {
      if (o[0] <= t + ms && o[1] >= t) {
        return false;
      }
    }
    return true;
  }

  // ---- observations ----------------------------------------------------------------------------

  private static String key(String stream, String epoch) {
    return epoch == null ? stream : stream + "@" + epoch;
  }

  /**
   * A message of a stream seen somewhere. Every sighting of one (stream, epoch, seq) must be the same
   * message: two different ones mean the stream handed one seq out twice (its counter restarted
   * without a reset, or an append raced another).
   */
  synchronized void seen(String stream, String epoch, long seq, Seen s, String device) {
    TreeMap<Long, Seen> m = seen.computeIfAbsent(key(stream, epoch), k -> new TreeMap<>());
    Seen before = m.get(seq);
    if (before == null) {
      m.put(seq, s);
      return;
    }
    boolean same = Objects.equals(before.id(), s.id()) && Objects.equals(before.from(), s.from())
        && (before.body() == null || s.body() == null || Objects.equals(before.body(), s.body()));
    if (!same) {
      violation(Check.SEQ_REUSED, device, null, stream, s.event(), "seq " + seq + (epoch == null ? "" : " of epoch " + epoch)
          + " is two messages: " + describe(before) + " and " + describe(s)
          + (epoch == null ? " (the stream's seqs started over and nobody was told)" : ""));
    }
    if (before.body() == null && s.body() != null) {
      m.put(seq, s);
    }
  }

  private static String describe(Seen s) {
    return "{id " + s.id() + ", from " + s.from() + (s.body() == null ? "" : ", body " + s.body()) + "} (" + s.where()
        + ", event #" + s.event() + ")";
  }

  /** An epoch of the stream named by the server (welcome, joined, reset). */
  synchronized void epochOf(String stream, String epoch) {
    if (epoch != null) {
      streamEpochs.computeIfAbsent(stream, k -> new java.util.HashSet<>()).add(epoch);
    }
  }

  /**
   * The newest epoch the server named for a stream (epochs only grow), for a log read that names
   * none; null when none was named.
   */
  synchronized String latestEpoch(String stream) {
    String latest = null;
    for (String e : streamEpochs.getOrDefault(stream, java.util.Set.of())) {
      if (latest == null || epochValue(e) > epochValue(latest)) {
        latest = e;
      }
    }
    return latest;
  }

  static long epochValue(String e) {
    try {
      return e == null || e.isEmpty() ? 0 : Long.parseLong(e);
    } catch (NumberFormatException opaque) {
      return 0;
    }
  }

  synchronized void sent(SentAnswer a) {
    sent.add(a);
  }

  // ---- memberships as the server keeps them ----------------------------------------------------

  /** Rooms the API granted, per user: followed whatever the user's token says (issue 11, item 8). */
  private final Map<String, java.util.Set<String>> granted = new HashMap<>();
  /** Where each membership began (the room's head at the join), per user: a device away during it starts there. */
  private final Map<String, Map<String, Position>> joinedAt = new HashMap<>();

  synchronized void joined(String user, String room, boolean byApi, boolean wasMember, Position head) {
    if (byApi) {
      granted.computeIfAbsent(user, u -> new java.util.HashSet<>()).add(room);
    }
    if (!wasMember || !joinedAt.getOrDefault(user, Map.of()).containsKey(room)) {
      joinedAt.computeIfAbsent(user, u -> new HashMap<>()).put(room, head);
    }
  }

  synchronized void left(String user, String room) {
    granted.getOrDefault(user, new java.util.HashSet<>()).remove(room);
    joinedAt.getOrDefault(user, new HashMap<>()).remove(room);
  }

  /**
   * The API is about to add the user to the room: its sessions may hear of it (joined) before the
   * API's answer is back. Undone by {@link #notGranted} if the call failed.
   */
  synchronized void granting(String user, String room) {
    granted.computeIfAbsent(user, u -> new java.util.HashSet<>()).add(room);
  }

  synchronized void notGranted(String user, String room) {
    granted.getOrDefault(user, new java.util.HashSet<>()).remove(room);
  }

  synchronized boolean granted(String user, String room) {
    return granted.getOrDefault(user, java.util.Set.of()).contains(room);
  }

  /** Where the user's membership of the room began, or null when the checker does not know. */
  synchronized Position joinedAt(String user, String room) {
    return joinedAt.getOrDefault(user, Map.of()).get(room);
  }

  synchronized void gap(Gap g) {
    gaps.add(g);
  }

  // ---- the end: the log is the truth ----------------------------------------------------------

  /**
   * Holds everything seen against the stores' final state, read through the history API: what the
   * log still holds is what was stored; gaps must not hide any of it; every {@code sent} names the
   * entry of its (sender, id); no (sender, id) is stored twice within the idempotency window.
   */
  synchronized void finish(Map<String, Api.Log> logs) {
    int end = trace.size();
    for (Api.Log log : logs.values()) {
      String epoch = !epochs() ? null : log.epoch() != null ? log.epoch() : latestEpoch(log.stream());
      Map<String, JsonEntry> byIdentity = new LinkedHashMap<>();
      for (var m : log.messages()) {
        long seq = m.getLong("seq");
        String id = m.getString("id");
        String from = m.getString("from");
        seen(log.stream(), epoch, seq, new Seen(id, from, String.valueOf(m.getValue("body")), "the log", end), null);
        String identity = from + "/" + id;
        JsonEntry first = byIdentity.get(identity);
        long ts = m.getLong("ts", 0L);
        if (first != null && Math.abs(ts - first.ts) < Contract.IDEMPOTENCY_MS) {
          violation(Check.STORED_TWICE, null, from, log.stream(), end, "(" + from + ", " + id + ") is stored as seq "
              + first.seq + " and seq " + seq + ", " + (ts - first.ts) + " ms apart (window " + Contract.IDEMPOTENCY_MS + " ms)");
        } else {
          byIdentity.put(identity, new JsonEntry(seq, ts));
        }
      }
    }
    for (Gap g : gaps) {
      Api.Log log = logs.get(g.stream());
      String logEpoch = log == null || !epochs() ? null : log.epoch() != null ? log.epoch() : latestEpoch(g.stream());
      if (log == null || (epochs() && !Objects.equals(logEpoch, g.epoch()))) {
        continue;
      }
      for (var m : log.messages()) {
        long seq = m.getLong("seq");
        if (seq >= g.from() && seq <= g.to()) {
          violation(Check.GAP, g.device(), g.user(), g.stream(), g.event(), "gap " + g.from() + ".." + g.to()
              + " names seq " + seq + " as lost, but the log still holds it");
          break;
        }
      }
    }
    Map<String, SentAnswer> firstAnswer = new HashMap<>();
    for (SentAnswer a : sent) {
      // an id sent again after its stream started over is a new message of the new history
      String k = a.user() + "/" + a.stream() + "/" + a.id() + "/" + a.epoch();
      SentAnswer before = firstAnswer.putIfAbsent(k, a);
      if (before != null && before.seq() != a.seq()) {
        violation(Check.SENT, a.device(), a.user(), a.stream(), a.event(), "id " + a.id() + " was answered seq " + before.seq()
            + " (event #" + before.event() + ") and seq " + a.seq());
      }
      Api.Log log = logs.get(a.stream());
      if (log == null || (a.epoch() == null ? streamEpochs.getOrDefault(a.stream(), java.util.Set.of()).size() > 1
          : !a.epoch().equals(log.epoch()))) {
        // a seq of a history the log no longer holds (or, from a server that named no epoch, maybe)
        continue;
      }
      for (var m : log.messages()) {
        if (m.getLong("seq") == a.seq() && !(a.id().equals(m.getString("id")) && a.user().equals(m.getString("from")))) {
          violation(Check.SENT, a.device(), a.user(), a.stream(), a.event(), "sent answered seq " + a.seq() + " for id " + a.id()
              + ", but the log holds {id " + m.getString("id") + ", from " + m.getString("from") + "} there");
        }
      }
    }
  }

  private record JsonEntry(long seq, long ts) {
  }
}
