package io.switchboard.client.internal;

import io.switchboard.client.Position;
import org.json.JSONObject;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stream positions, in two copies. {@code live} is what has arrived: hello's resume map and the
 * duplicate check read it. {@code durable} is what the application has processed (its callback
 * returned): only that is persisted and acked, so a process killed while messages wait for the
 * callback executor gets them again after a restart instead of losing them. Confined to the client's
 * loop thread.
 */
public final class Positions {
  /** Stored format: {@code {v, user, seqs: {stream: seq}, epochs: {stream: epoch}, at}}, the JS client's. */
  static final int STORED_VERSION = 2;
  /** The node refuses a hello resuming more streams. */
  static final int MAX_RESUME = 1000;

  final Map<String, Position> live = new LinkedHashMap<String, Position>();
  final Map<String, Position> durable = new LinkedHashMap<String, Position>();
  /** The user the positions belong to (the token's sub, then the welcome's user). */
  String user;
  boolean dirty;

  static boolean isEpoch(Object e) {
    return e instanceof String && ((String) e).length() <= 32;
  }

  static boolean isStream(String s) {
    return s != null && (s.equals("all") || s.startsWith("user:") || s.startsWith("room:")) && s.length() <= 133;
  }

  Position live(String stream) {
    return live.get(stream);
  }

  /** hello's resume map: {@code {seq, epoch}}, or a bare seq while the epoch is unknown. */
  JSONObject resumeMap() {
    JSONObject r = new JSONObject();
    int n = 0;
    for (Map.Entry<String, Position> e : live.entrySet()) {
      if (n++ >= MAX_RESUME) {
        break;
      }
      Position p = e.getValue();
      if (p.getEpoch() != null) {
        Json.put(r, e.getKey(), Json.put(Json.put(Json.object(), "seq", p.getSeq()), "epoch", p.getEpoch()));
      } else {
        Json.put(r, e.getKey(), p.getSeq());
      }
    }
    return r;
  }

  /** Someone else's positions must not be resumed with this user's token. */
  void forUser(String sub) {
    if (sub != null && user != null && !sub.equals(user)) {
      live.clear();
      durable.clear();
      dirty = true;
    }
    if (sub != null) {
      user = sub;
    }
  }

  void setDurable(String stream, Position p) {
    if (p == null) {
      if (durable.remove(stream) != null) {
        dirty = true;
      }
    } else if (!p.equals(durable.get(stream))) {
      durable.put(stream, p);
      dirty = true;
    }
  }

  String toStored(long at) {
    JSONObject seqs = new JSONObject();
    JSONObject epochs = new JSONObject();
    for (Map.Entry<String, Position> e : durable.entrySet()) {
      Json.put(seqs, e.getKey(), e.getValue().getSeq());
      if (e.getValue().getEpoch() != null) {
        Json.put(epochs, e.getKey(), e.getValue().getEpoch());
      }
    }
    JSONObject v = Json.object();
    Json.put(v, "v", STORED_VERSION);
    if (user != null) {
      Json.put(v, "user", user);
    }
    Json.put(v, "seqs", seqs);
    Json.put(v, "epochs", epochs);
    if (at > 0) {
      Json.put(v, "at", at);
    }
    return v.toString();
  }

  /**
   * Reads a stored value into both copies (what was processed is what arrived, for a new process).
   * Entries the node would refuse in a hello (not a stream, a bad seq or epoch) are dropped.
   *
   * @return the stored {@code at} (last moment known connected), or 0
   */
  long fromStored(String raw) {
    JSONObject v = raw == null ? null : Json.parseObject(raw);
    if (v == null || !(v.opt("seqs") instanceof JSONObject)) {
      return 0;
    }
    user = Json.string(v, "user");
    JSONObject seqs = (JSONObject) v.opt("seqs");
    Object ep = Json.number(v, "v", 1) >= 2 ? v.opt("epochs") : null;
    JSONObject epochs = ep instanceof JSONObject ? (JSONObject) ep : new JSONObject();
    live.clear();
    durable.clear();
    Iterator<String> keys = seqs.keys();
    while (keys.hasNext()) {
      String s = keys.next();
      long seq = Json.number(seqs, s, -1);
      if (!isStream(s) || seq < 0 || seq > 9007199254740991L) {
        continue;
      }
      Object e = epochs.opt(s);
      Position p = new Position(seq, isEpoch(e) ? (String) e : null);
      live.put(s, p);
      durable.put(s, p);
    }
    return Json.number(v, "at", 0);
  }
}
