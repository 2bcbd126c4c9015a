package io.switchboard.store.redis;

/**
 * Where everything lives in Redis. Every key starts with {@code sb:{<tag>}}: the keys of one stream
 * share the stream's hash tag, so a Redis Cluster keeps them in one slot and one script can touch
 * them all; a user's cursors and room list share the user's tag ({@code user:<id>}, the tag of the
 * user's own stream); a room's member set shares the room stream's tag.
 *
 * <p>Whatever the names contain, all keys of one stream begin with the same {@code sb:{<stream>}}
 * prefix, and the hash tag is decided by the first braces of the key, so they always share a slot.
 */
final class Keys {

  private Keys() {
  }

  /**
   * The stream's head: {@code <seq>:<epoch>:<last append ms>}. The append script assigns the next
   * seq from it; whether the stream is still alive is decided from the last append by the node's
   * clock, and the key's expiry only collects garbage after that (see {@code MessageLog#IDLE_GRACE_MS}).
   */
  static String head(String stream) {
    return "sb:{" + stream + "}:head";
  }

  /** The stream's log: a Redis Stream whose entry ids are {@code 0-<seq>}. */
  static String log(String stream) {
    return "sb:{" + stream + "}:log";
  }

  /**
   * Remembers (stream, sender, client id) for the idempotency window. User ids and message ids may
   * both contain ':', so the sender is escaped ('%' and ':' as %25 and %3A): the first ':' after it
   * then separates it from the id, and two different pairs can never make the same key.
   */
  static String idempotency(String stream, String from, String clientId) {
    return "sb:{" + stream + "}:idem:" + escape(from) + ":" + clientId;
  }

  /** The user's devices, scored by the order of their last ack (for the device cap). */
  static String devices(String user) {
    return "sb:{user:" + user + "}:devices";
  }

  /** One device's cursors: a hash stream -&gt; seq. */
  static String cursors(String user, String device) {
    return "sb:{user:" + user + "}:cursor:" + device;
  }

  static String roomsOf(String user) {
    return "sb:{user:" + user + "}:rooms";
  }

  /** Room to {@code <seq>:<epoch>}: the room's head when each membership of {@link #roomsOf} began. */
  static String joinedOf(String user) {
    return "sb:{user:" + user + "}:joined";
  }

  /** The subset of {@link #roomsOf} that the HTTP API granted (followed whatever the user's token says). */
  static String grantedOf(String user) {
    return "sb:{user:" + user + "}:granted";
  }

  static String membersOf(String room) {
    return "sb:{room:" + room + "}:members";
  }

  /** Hash tag of the keys that belong to the whole cluster rather than to one stream. */
  static final String BEATS_TAG = "cluster";

  /** The nodes' liveness beats (see {@link RedisBeats}). */
  static String beats() {
    return "sb:{" + BEATS_TAG + "}:beats";
  }

  /** Hash tag of the webhook queue's keys: one slot, so that one script moves entries between them. */
  static final String WEBHOOKS_TAG = "webhooks";

  /** The webhook events waiting for delivery (see {@link RedisEventQueue}). */
  static String webhookQueue() {
    return "sb:{" + WEBHOOKS_TAG + "}:queue";
  }

  static String webhookDeadLetters() {
    return "sb:{" + WEBHOOKS_TAG + "}:dead";
  }

  /** Which node delivers the webhook events, with a TTL. */
  static String webhookLease() {
    return "sb:{" + WEBHOOKS_TAG + "}:lease";
  }

  /**
   * The webhook outbox of a stream's slot: a Redis Stream where the append script notes each message
   * the webhooks must hear of, in the same atomic step as the append (see {@link RedisEventQueue}).
   * On one server (standalone, Sentinel) one key beside the queue, so that queueing the events and
   * clearing the note are one script too; in a Redis Cluster one key per slot, under a tag of the
   * stream's own slot ({@link SlotTags}), since a script cannot reach another slot.
   */
  static String outbox(String stream, boolean cluster) {
    return cluster ? outboxOfSlot(SlotTags.slot(log(stream))) : webhookOutbox();
  }

  /** The outbox of one server ({@link #outbox} without a cluster). */
  static String webhookOutbox() {
    return "sb:{" + WEBHOOKS_TAG + "}:outbox";
  }

  /** Every outbox key of a Redis Cluster, one per slot. */
  static String outboxOfSlot(int slot) {
    return "sb:{" + SlotTags.tag(slot) + "}:outbox";
  }

  private static String escape(String s) {
    if (s.indexOf(':') < 0 && s.indexOf('%') < 0) {
      return s;
    }
    return s.replace("%", "%25").replace(":", "%3A");
  }
}
