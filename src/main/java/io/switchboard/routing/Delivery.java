package io.switchboard.routing;

import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.StoredMessage;
import io.switchboard.transport.WebSocketFrames;

/**
 * What travels on a stream's event-bus address. The client frame is encoded once by the publisher
 * and written as-is to every recipient socket.
 */
public final class Delivery {

  public enum Kind {
    /** A stream message; seq 0 means transient (live only, never stored). */
    MESSAGE,
    /** A presence frame for a room's members, except the user it is about. */
    PRESENCE,
    /** To a user's own sessions: the user joined {@link #room()}; {@link #seq()} is the room head then. */
    JOINED,
    /** To a user's own sessions: the user left {@link #room()}. */
    LEFT,
    /** To a user's own sessions: close with 4403; {@link #frame()} holds the reason. */
    KICK
  }

  private final Kind kind;
  private final String stream;
  private final long seq;
  private final String frame;
  private final String skipUser;
  private final String skipSession;
  private final String room;
  private final long appendedAtMicros;
  /** The frame as WebSocket bytes, made by the first recipient and shared by the others. */
  private volatile byte[] wire;

  Delivery(Kind kind, String stream, long seq, String frame, String skipUser, String skipSession, String room,
           long appendedAtMicros) {
    this.kind = kind;
    this.stream = stream;
    this.seq = seq;
    this.frame = frame;
    this.skipUser = skipUser;
    this.skipSession = skipSession;
    this.room = room;
    this.appendedAtMicros = appendedAtMicros;
  }

  /** A stored message; {@code appendedAtMicros} is 0 when the delivery should not be timed (replays). */
  public static Delivery message(StoredMessage m, long appendedAtMicros) {
    String frame = ServerFrames.message(m.stream(), m.seq(), m.id(), m.from(), m.body(), m.ts());
    return new Delivery(Kind.MESSAGE, m.stream(), m.seq(), frame, null, null, null, appendedAtMicros);
  }

  /** A transient message, not echoed to the session that sent it. */
  public static Delivery transientMessage(String stream, String id, String from, String body, long ts, String senderSession) {
    String frame = ServerFrames.message(stream, 0, id, from, body, ts);
    return new Delivery(Kind.MESSAGE, stream, 0, frame, null, senderSession, null, 0);
  }

  public static Delivery presence(String room, String user, boolean online) {
    return new Delivery(Kind.PRESENCE, StreamName.room(room), 0,
        ServerFrames.presence(room, user, online), user, null, null, 0);
  }

  /** Tells the user's other sessions about a membership change made by {@code bySession} (null: by the API). */
  public static Delivery membership(String user, String room, boolean joined, long head, String bySession) {
    return new Delivery(joined ? Kind.JOINED : Kind.LEFT, StreamName.user(user), head, null,
        null, bySession, room, 0);
  }

  /** Closes every session of the user, wherever it is connected. */
  public static Delivery kick(String user, String reason) {
    return new Delivery(Kind.KICK, StreamName.user(user), 0, reason, null, null, null, 0);
  }

  public Kind kind() {
    return kind;
  }

  public String stream() {
    return stream;
  }

  public long seq() {
    return seq;
  }

  public String frame() {
    return frame;
  }

  /**
   * The frame as a complete WebSocket text frame, encoded once (lazily; a race encodes it twice,
   * harmlessly) for every socket of this node it is written to.
   */
  public byte[] wire() {
    byte[] w = wire;
    if (w == null) {
      w = WebSocketFrames.text(frame);
      wire = w;
    }
    return w;
  }

  /** Sessions of this user do not receive the delivery (presence about themselves). */
  public String skipUser() {
    return skipUser;
  }

  /** This session does not receive the delivery (its own transient send, its own membership change). */
  public String skipSession() {
    return skipSession;
  }

  public String room() {
    return room;
  }

  public long appendedAtMicros() {
    return appendedAtMicros;
  }

  public boolean ordered() {
    return kind == Kind.MESSAGE && seq > 0;
  }

  /**
   * Whether this is for a user's sessions as such rather than a stream's listeners: such deliveries
   * travel on the node-wide control address (see {@link Addresses#CONTROL}).
   */
  public boolean control() {
    return kind == Kind.JOINED || kind == Kind.LEFT || kind == Kind.KICK;
  }
}
