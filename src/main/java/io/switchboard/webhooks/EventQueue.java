package io.switchboard.webhooks;

import io.switchboard.protocol.StreamName;
import io.switchboard.store.StoredMessage;
import io.vertx.core.Future;

import java.util.List;

/**
 * The durable queue of webhook events between the nodes that produce them and the one that delivers
 * them, with its dead letters. Implementations: {@code RedisEventQueue} (a Redis Stream with a
 * consumer group, shared by the cluster) and {@link InMemoryEventQueue} (one node, the in-memory
 * store). Futures may complete on any thread.
 *
 * <p><b>Ids.</b> Every entry has an id {@code <ms>-<n>} that grows with each add: {@code ms} is when
 * it was queued. Queue order is id order.
 *
 * <p><b>Delivery.</b> One consumer at a time holds the lease ({@link #lead}) and delivers. An entry
 * {@link #take taken} and never {@link #ack acked} (its consumer died) is taken again by the next
 * one: nothing queued is lost until acked or dead-lettered.
 *
 * <p><b>Outbox.</b> A store that outlives the node notes a message in an outbox in the same atomic
 * step that stores it ({@link io.switchboard.store.AppendRequest#outbox()}), and a membership change
 * with the change ({@link io.switchboard.store.MembershipStore#join(String, String, boolean,
 * io.switchboard.store.Position, boolean)}). The node that stored it
 * {@link #add(List, List) settles} the note when it queues the message's events (or finds there are
 * none); a note left unsettled (its node died, or could not queue) is found by {@link #unsettled}, and
 * whoever delivers produces the events in its place. So the window between storing a message and
 * queueing its events loses nothing: at worst an event is queued twice, with the same id.
 */
public interface EventQueue {

  /** Why an entry became a dead letter. */
  String QUEUE_FULL = "queue_full";
  String RETRIES_EXHAUSTED = "retries_exhausted";

  /** An entry taken for delivery: the event's JSON text, as it was added. */
  record Entry(String id, String event) {

    /** When it was queued (epoch ms), read from its id. */
    public long queuedAt() {
      return Long.parseLong(id.substring(0, id.indexOf('-')));
    }
  }

  /** @param at when it became a dead letter (epoch ms) */
  record DeadLetter(String id, String event, String reason, long at) {
  }

  /** @param next the id to page on from ({@code after}), or null at the end */
  record Page(List<DeadLetter> entries, String next) {
  }

  /**
   * A note of the outbox: of a stored message, or of a membership that began or ended (the other is
   * null). {@code message} holds what the note says: its body is not in the note (it is in the
   * stream's log), so an {@link #unsettled} note's message has a null body.
   */
  record Note(String id, StoredMessage message, MembershipNote membership) {

    public Note(String id, StoredMessage message) {
      this(id, message, null);
    }

    public Note(String id, MembershipNote membership) {
      this(id, null, membership);
    }

    /** The stream whose slot holds the note: the message's, or the room's. */
    public String stream() {
      return message != null ? message.stream() : StreamName.room(membership.room());
    }
  }

  /** @param joined a membership began (else ended); @param at when (epoch ms, the node's clock) */
  record MembershipNote(boolean joined, String room, String user, long at) {
  }

  /** The first id of an empty queue's range: take from the start. */
  String START = "0-0";

  /**
   * Queues the events in order. Past the cap, the oldest entries (or the first of these) become dead
   * letters with reason {@link #QUEUE_FULL}.
   *
   * @return how many entries became dead letters to make room
   */
  default Future<Integer> add(List<String> events) {
    return add(events, List.of());
  }

  /**
   * Queues the events and, in the same step where the store can, settles these outbox notes: their
   * events are queued, or they have none. Where it cannot be one step (a Redis Cluster: the notes
   * live in the slots of their streams), the notes are settled after the events are queued, so a
   * failure in between leaves a note whose events are queued again later, never the reverse.
   */
  Future<Integer> add(List<String> events, List<Note> settled);

  /**
   * Notes (their messages without bodies) older than {@code olderThanMs} (by their id's time) that nobody settled, oldest first in
   * each outbox, at most about {@code max}. Empty for a queue without an outbox (in memory), and
   * where a search is costly (a Redis Cluster's 16,384 outboxes) when the last one was too recent.
   */
  Future<List<Note>> unsettled(long olderThanMs, int max);

  /** Takes or renews the delivery lease for {@code leaseMs}; true while {@code consumer} holds it. */
  Future<Boolean> lead(String consumer, long leaseMs);

  /** Gives the lease up if {@code consumer} holds it, so another node takes over without waiting. */
  Future<Void> resign(String consumer);

  /**
   * Up to {@code max} entries with ids above {@code after} ({@link #START}: from the first), in queue
   * order: those taken before by any consumer and never acked, then new ones. All are now this
   * consumer's until acked or dead-lettered.
   */
  Future<List<Entry>> take(String consumer, String after, int max);

  /** The entries were delivered: they leave the queue. */
  Future<Void> ack(List<String> ids);

  /** The entries leave the queue and become dead letters with this reason. */
  Future<Void> deadLetter(List<Entry> entries, String reason);

  /** Dead letters with ids above {@code after} (null: from the oldest), at most {@code limit}, oldest first. */
  Future<Page> deadLetters(String after, int limit);

  /**
   * Moves these dead letters back to the end of the queue, their events unchanged (same event ids).
   *
   * @return how many were found and moved
   */
  Future<Integer> replay(List<String> ids);

  /** Entries in the queue (taken or not) and dead letters kept. */
  record Sizes(long queued, long deadLetters) {
  }

  Future<Sizes> sizes();
}
