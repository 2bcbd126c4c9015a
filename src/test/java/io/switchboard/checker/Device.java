package io.switchboard.checker;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One installation of a client app: a user, maybe a device id, and what a real client keeps
 * between connections: its position per stream (the next hello resumes from them) and an outbox of
 * sends not answered yet (retried with the same id after a reconnect). It also carries the
 * checker's knowledge of the server-side cursor of (user, device, stream), to bound where a hello
 * without resume may start.
 */
final class Device {

  /** A send waiting for its answer; the id makes retries safe. */
  static final class Outgoing {
    final String id;
    final String to;
    final String body;
    /** The connection of the first attempt; -1 until it is sent. */
    int firstConn = -1;
    /** The connection it was last written on while no answer has come; -1 when none is awaited. */
    volatile int inFlightOn = -1;
    int attempts;

    Outgoing(String id, String to, String body) {
      this.id = id;
      this.to = to;
      this.body = body;
    }
  }

  /**
   * What the checker knows of the stored cursor of (user, device, stream): the most it can be
   * (every ack sent and every start the node recorded) and when the first write of it was
   * attempted. {@code uncertain}: it may or may not exist (the user left the room, which may drop it).
   */
  static final class Cursor {
    long high = -1;
    long firstAttempt = -1;
    boolean uncertain;
  }

  final String user;
  final String deviceId;
  final String label;
  final int index;
  Conn conn;
  int lastNode = -1;
  /** The user was disconnected through the API at this trace time; 0 when not. */
  long kickedAt;
  final Map<String, Position> positions = new HashMap<>();
  final LinkedHashMap<String, Outgoing> outbox = new LinkedHashMap<>();
  final Map<String, Cursor> cursors = new HashMap<>();
  /** A session of this device (with its device id) was welcomed before: the server knows the device. */
  volatile boolean welcomedBefore;

  Device(int index, String user, String deviceId, String label) {
    this.index = index;
    this.user = user;
    this.deviceId = deviceId;
    this.label = label;
  }

  boolean connected() {
    return conn != null && !conn.closed();
  }

  synchronized void outboxAdd(Outgoing o) {
    outbox.put(o.id, o);
  }

  synchronized void outboxAnswered(String id) {
    outbox.remove(id);
  }

  synchronized java.util.List<Outgoing> outbox() {
    return new java.util.ArrayList<>(outbox.values());
  }

  synchronized Map<String, Position> positions() {
    return new HashMap<>(positions);
  }

  synchronized void position(String stream, long seq, String epoch, boolean onlyForward) {
    Position p = positions.get(stream);
    if (onlyForward && p != null && p.seq() >= seq && java.util.Objects.equals(p.epoch(), epoch)) {
      return;
    }
    positions.put(stream, new Position(seq, epoch));
  }

  synchronized void forget(String stream) {
    positions.remove(stream);
  }

  /** A write to this device's cursor of the stream was attempted at {@code now}, up to {@code seq}. */
  synchronized void cursorWrite(String stream, long seq, long now) {
    if (deviceId == null) {
      return;
    }
    Cursor c = cursors.computeIfAbsent(stream, s -> new Cursor());
    c.high = Math.max(c.high, seq);
    if (c.firstAttempt < 0 || c.uncertain) {
      c.firstAttempt = now;
      c.uncertain = false;
    }
  }

  synchronized Cursor cursor(String stream) {
    Cursor c = cursors.get(stream);
    if (c == null) {
      return null;
    }
    Cursor copy = new Cursor();
    copy.high = c.high;
    copy.firstAttempt = c.firstAttempt;
    copy.uncertain = c.uncertain;
    return copy;
  }

  /** The cursor may be gone (a leave may drop it); the next write makes it known again. */
  synchronized void cursorUncertain(String stream) {
    Cursor c = cursors.get(stream);
    if (c != null) {
      c.uncertain = true;
    }
  }

  @Override
  public String toString() {
    return label;
  }
}
