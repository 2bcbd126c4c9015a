package io.switchboard.client.internal;

import io.switchboard.client.Completion;
import org.json.JSONObject;

import java.util.ArrayList;
import java.util.List;

/** A request waiting for its answer: a send, join, leave or ping, with what its retries need. */
final class Op {
  static final String SEND = "send";
  static final String JOIN = "join";
  static final String LEAVE = "leave";
  static final String PING = "ping";

  final String type;
  /** The frame without its {@code ref}: each transmission gets a new one. */
  final JSONObject frame;
  /** Waits for a connection (sends, joins, leaves) rather than failing with {@code offline}. */
  final boolean queue;
  /** A send that is not transient: kept in the stored outbox until answered. */
  final boolean durable;
  final String id;
  final Completion<Object> completion;
  /** The user the send was accepted for (null when not known yet). */
  final String user;
  boolean inflight;
  long sentAt;
  /** Wall-clock ms of the first transmission (stored: the idempotency window counts from it). */
  long firstSentWall;
  int transmissions;
  int retries;
  long notBefore;
  /** A join the client made itself, to restore a membership its queued sends need ({@link LostRooms}). */
  boolean restore;
  final List<String> refs = new ArrayList<String>(2);

  /** Transmitted by this process or, for a send restored from the store, by an earlier one. */
  boolean maybeSent() {
    return transmissions > 0 || firstSentWall > 0;
  }

  Op(String type, JSONObject frame, boolean queue, boolean durable, String id, Completion<Object> completion, String user) {
    this.type = type;
    this.frame = frame;
    this.queue = queue;
    this.durable = durable;
    this.id = id;
    this.completion = completion;
    this.user = user;
  }
}
