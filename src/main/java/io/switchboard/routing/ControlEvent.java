package io.switchboard.routing;

import io.switchboard.protocol.CloseCode;
import io.switchboard.store.Position;
import io.vertx.core.json.JsonObject;

/**
 * Something every node must do to the sessions of one user: follow a room they joined, stop
 * following one they left, or close them (kick). Events are entries of the control log
 * ({@link ControlLog}), applied by every event loop once each, in log order.
 *
 * @param room      the room joined or left; null for a kick
 * @param head      for a join: the room's head when the join was recorded (the user receives what follows)
 * @param granted   for a join: the HTTP API granted the membership (followed whatever the token says)
 * @param bySession the session that made the change itself (it is not told), or null
 * @param reason    for a kick: the close reason
 * @param session   for a kick: the one session to close, or null for all of the user's
 * @param code      for a kick: the close code ({@link CloseCode#FORBIDDEN} or {@link CloseCode#SERVICE_RESTART})
 * @param at        when the event was recorded (the store's clock); a kick closes only sessions
 *                  authenticated by then
 */
public record ControlEvent(Kind kind, String user, String room, Position head, boolean granted, String bySession,
                           String reason, String session, CloseCode code, long at) {

  public enum Kind { JOINED, LEFT, KICK }

  public static ControlEvent joined(String user, String room, Position head, boolean granted, String bySession) {
    return new ControlEvent(Kind.JOINED, user, room, head, granted, bySession, null, null, null, 0);
  }

  public static ControlEvent left(String user, String room, String bySession) {
    return new ControlEvent(Kind.LEFT, user, room, Position.NONE, false, bySession, null, null, null, 0);
  }

  /** Every session of the user open when the kick is recorded closes with 4403: they do not reconnect. */
  public static ControlEvent kick(String user, String reason) {
    return kick(user, null, CloseCode.FORBIDDEN, reason);
  }

  /** @param session the one session to close, or null for all of them */
  public static ControlEvent kick(String user, String session, CloseCode code, String reason) {
    return new ControlEvent(Kind.KICK, user, null, Position.NONE, false, null, reason, session, code, 0);
  }

  /**
   * The log's name of a kick of one session. A node of an earlier version knows only {@code KICK},
   * which closes every session of the user, and would ignore the session's id: during a rolling
   * upgrade it must fail to read this event (it logs and skips it) rather than close them all.
   */
  static final String SESSION_KICK = "KICK_SESSION";

  /** The log entry's body; {@link #at} is the entry's own time and is not written. */
  String toJson() {
    String name = kind == Kind.KICK && session != null ? SESSION_KICK : kind.name();
    JsonObject o = new JsonObject().put("k", name).put("u", user);
    if (room != null) {
      o.put("r", room).put("s", head.seq()).put("e", head.epoch()).put("g", granted);
    }
    if (bySession != null) {
      o.put("b", bySession);
    }
    if (reason != null) {
      o.put("why", reason);
    }
    if (session != null) {
      o.put("sid", session);
    }
    if (code != null && code != CloseCode.FORBIDDEN) {
      o.put("c", code.code());
    }
    return o.encode();
  }

  static ControlEvent fromJson(String json, long at) {
    JsonObject o = new JsonObject(json);
    String room = o.getString("r");
    Position head = room == null ? Position.NONE : new Position(o.getLong("s"), o.getLong("e"));
    String name = o.getString("k");
    return new ControlEvent(SESSION_KICK.equals(name) ? Kind.KICK : Kind.valueOf(name), o.getString("u"), room, head,
        o.getBoolean("g", false), o.getString("b"), o.getString("why"), o.getString("sid"),
        code(o.getInteger("c", (int) CloseCode.FORBIDDEN.code())), at);
  }

  /** Entries written before codes were recorded, and codes this node does not know, close with 4403. */
  private static CloseCode code(int code) {
    for (CloseCode c : CloseCode.values()) {
      if (c.code() == code) {
        return c;
      }
    }
    return CloseCode.FORBIDDEN;
  }
}
