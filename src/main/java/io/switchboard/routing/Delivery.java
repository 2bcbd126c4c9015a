package io.switchboard.routing;

import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.StoredMessage;
import io.switchboard.transport.WebSocketFrames;

/**
 * What travels on the event bus. A message's client frame is encoded once by the publisher and
 * written as-is to every recipient socket; a control delivery carries a {@link ControlEvent} that
 * every node applies to its own sessions.
 */
public final class Delivery {

  public enum Kind {
    /** A stream message; seq 0 means transient (live only, never stored). */
    MESSAGE,
    /** A presence frame for a room's members, except the user it is about. */
    PRESENCE,
    /** An entry of the control log ({@link ControlLog}): {@link #frame()} is the event's JSON. */
    CONTROL
  }

  private final Kind kind;
  private final String stream;
  private final long seq;
  private final long epoch;
  private final String frame;
  private final String skipUser;
  private final String skipSession;
  private final long appendedAtMicros;
  /** The frame as WebSocket bytes, made by the first recipient and shared by the others. */
  private volatile byte[] wire;

  Delivery(Kind kind, String stream, long seq, long epoch, String frame, String skipUser, String skipSession,
           long appendedAtMicros) {
    this.kind = kind;
    this.stream = stream;
    this.seq = seq;
    this.epoch = epoch;
    this.frame = frame;
    this.skipUser = skipUser;
    this.skipSession = skipSession;
    this.appendedAtMicros = appendedAtMicros;
  }

  /** A stored message; {@code appendedAtMicros} is 0 when the delivery should not be timed (replays). */
  public static Delivery message(StoredMessage m, long appendedAtMicros) {
    String frame = ServerFrames.message(m.stream(), m.seq(), m.id(), m.from(), m.body(), m.ts());
    return new Delivery(Kind.MESSAGE, m.stream(), m.seq(), m.epoch(), frame, null, null, appendedAtMicros);
  }

  /** A transient message, not echoed to the session that sent it. */
  public static Delivery transientMessage(String stream, String id, String from, String body, long ts, String senderSession) {
    String frame = ServerFrames.message(stream, 0, id, from, body, ts);
    return new Delivery(Kind.MESSAGE, stream, 0, 0, frame, null, senderSession, 0);
  }

  public static Delivery presence(String room, String user, boolean online) {
    return new Delivery(Kind.PRESENCE, StreamName.room(room), 0, 0,
        ServerFrames.presence(room, user, online), user, null, 0);
  }

  /** An entry of the control log, for every node; it carries the entry's time (kicks depend on it). */
  public static Delivery control(StoredMessage m) {
    return new Delivery(Kind.CONTROL, m.stream(), m.seq(), m.epoch(), m.body(), null, null, m.ts() * 1000);
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

  /** The stream's epoch the seq belongs to (0 for deliveries without a seq). */
  public long epoch() {
    return epoch;
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

  /** This session does not receive the delivery (its own transient send). */
  public String skipSession() {
    return skipSession;
  }

  public long appendedAtMicros() {
    return appendedAtMicros;
  }

  public boolean ordered() {
    return kind == Kind.MESSAGE && seq > 0;
  }

  /** Control deliveries travel on the node-wide control address (see {@link Addresses#CONTROL}). */
  public boolean control() {
    return kind == Kind.CONTROL;
  }
}
