package io.switchboard.client.internal;

import org.json.JSONArray;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The outbox as stored: {@code {v: 1, sends: [{id, to, body, user, first}]}} with {@code body} the
 * JSON text as sent and {@code first} the wall-clock ms of the first transmission (0: never sent).
 */
final class StoredOutbox {
  static final class Entry {
    final String id;
    final String to;
    final String bodyJson;
    final String user;
    final long firstSentWall;

    Entry(String id, String to, String bodyJson, String user, long firstSentWall) {
      this.id = id;
      this.to = to;
      this.bodyJson = bodyJson;
      this.user = user;
      this.firstSentWall = firstSentWall;
    }
  }

  private StoredOutbox() {
  }

  static String write(List<Op> ops) {
    JSONArray sends = new JSONArray();
    for (Op op : ops) {
      if (!op.durable) {
        continue;
      }
      JSONObject e = Json.object();
      Json.put(e, "id", op.id);
      Json.put(e, "to", op.frame.opt("to"));
      Json.put(e, "body", Json.stringify(op.frame.opt("body")));
      if (op.user != null) {
        Json.put(e, "user", op.user);
      }
      Json.put(e, "first", op.firstSentWall);
      sends.put(e);
    }
    if (sends.length() == 0) {
      return null;
    }
    return Json.put(Json.put(Json.object(), "v", 1), "sends", sends).toString();
  }

  static List<Entry> read(String raw) {
    List<Entry> out = new ArrayList<Entry>();
    JSONObject v = raw == null ? null : Json.parseObject(raw);
    JSONArray sends = v == null ? null : v.optJSONArray("sends");
    if (sends == null) {
      return out;
    }
    for (int i = 0; i < sends.length(); i++) {
      JSONObject e = sends.optJSONObject(i);
      if (e == null) {
        continue;
      }
      String id = Json.string(e, "id");
      String to = Json.string(e, "to");
      String body = Json.string(e, "body");
      if (id == null || to == null || body == null) {
        continue;
      }
      out.add(new Entry(id, to, body, Json.string(e, "user"), Json.number(e, "first", 0)));
    }
    return out;
  }
}
