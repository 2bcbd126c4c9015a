package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.Position;
import io.switchboard.store.StoreContract;
import io.switchboard.store.StoredMessage;
import io.switchboard.support.SharedRedis;
import io.switchboard.webhooks.EventQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook outbox on one Redis server: a message is noted in the same script that stores it, the
 * note stays unsettled until its events are queued, and queueing them settles it in the same step.
 * {@link #noteFindAndSettle} is run on a Redis Cluster too (RedisClusterStoreTest).
 */
class RedisOutboxTest {

  @RegisterExtension
  static final SharedRedis REDIS = new SharedRedis();
  private RedisStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close().await();
    }
  }

  private RedisStore store() {
    StoreOptions options = new StoreOptions();
    options.getRedis().setUrls(List.of(REDIS.redis().url()));
    options.getRedis().setTimeoutMs(StoreContract.CONTRACT_TIMEOUT_MS);
    store = new RedisStore(REDIS.vertx(), options);
    return store;
  }

  @Test
  void aNoteIsUnsettledUntilItsEventsAreQueuedWithIt() {
    noteFindAndSettle(store(), List.of("user:bob", "room:lobby", "user:carol"));
    assertEquals(0L, REDIS.redis().call("XLEN", "sb:{webhooks}:outbox"));
  }

  @Test
  void onlyAnAppendThatAsksIsNotedAndADuplicateIsNotNotedAgain() {
    RedisStore s = store();
    assertNull(s.append(new AppendRequest("user:bob", "alice", "1", "a")).await().outboxId(), "not asked");
    AppendResult first = s.append(new AppendRequest("user:bob", "alice", "2", "b", true)).await();
    AppendResult retry = s.append(new AppendRequest("user:bob", "alice", "2", "b", true)).await();
    assertNotNull(first.outboxId());
    assertTrue(retry.duplicate());
    assertNull(retry.outboxId(), "a retry stores nothing and notes nothing");
    assertEquals(1, unsettled(s).size());
  }

  @Test
  void aMembershipThatBeginsOrEndsIsNotedWithTheChange() {
    membershipNotes(store());
  }

  @Test
  void aYoungNoteIsNotYetUnsettled() {
    RedisStore s = store();
    s.append(new AppendRequest("user:bob", "alice", "1", null, true)).await();
    assertEquals(List.of(), s.eventQueue(100, 100).unsettled(60_000, 10).await(), "its node may still be on it");
    assertEquals(1, unsettled(s).size());
  }

  /** Every note, by a queue of its own: a Redis Cluster's queue searches its outboxes at most every 10 s. */
  static List<EventQueue.Note> unsettled(RedisStore s) {
    return s.eventQueue(1000, 1000).unsettled(0, 1000).await();
  }

  /**
   * Joins and leaves that ask to be noted: a new membership and an ended one are; a join of a member,
   * a leave of a non-member and a change that does not ask are not. Queueing settles them.
   */
  static void membershipNotes(RedisStore s) {
    EventQueue queue = s.eventQueue(1000, 1000);
    assertNotNull(s.join("lobby", "bob", false, Position.NONE, true).await().outboxId());
    assertNull(s.join("lobby", "bob", true, Position.NONE, true).await().outboxId(), "already a member");
    assertNull(s.join("den", "bob", false, Position.NONE, false).await().outboxId(), "not asked");
    assertNotNull(s.leave("lobby", "bob", true).await().outboxId());
    assertNull(s.leave("lobby", "bob", true).await().outboxId(), "no longer a member");
    assertNotNull(s.leave("den", "bob", true).await().outboxId());
    List<EventQueue.Note> notes = unsettled(s);
    List<String> changes = notes.stream().map(n -> (n.membership().joined() ? "joined " : "left ") + n.membership().room()
        + " " + n.membership().user()).sorted().toList();
    assertEquals(List.of("joined lobby bob", "left den bob", "left lobby bob"), changes);
    queue.add(List.of("{}"), notes).await();
    assertEquals(List.of(), unsettled(s), "settled");
  }

  /**
   * Appends one noted message to each stream; every note is found with what it says of its message,
   * and queueing an event with each note settles it: none is left, and the events are in the queue.
   */
  static void noteFindAndSettle(RedisStore s, List<String> streams) {
    EventQueue queue = s.eventQueue(1000, 1000);
    List<StoredMessage> stored = new ArrayList<>();
    for (String stream : streams) {
      s.append(new AppendRequest(stream, "alice", "\"x\"", null)).await();
      AppendResult r = s.append(new AppendRequest(stream, "alice", "{\"text\":\"hi\"}", "m-" + stream, true)).await();
      assertNotNull(r.outboxId(), stream);
      stored.add(r.message());
    }
    List<EventQueue.Note> notes = new ArrayList<>(unsettled(s));
    notes.sort(Comparator.comparing(n -> streams.indexOf(n.message().stream())));
    List<StoredMessage> noted = notes.stream().map(EventQueue.Note::message).toList();
    List<StoredMessage> expected = stored.stream()
        .map(m -> new StoredMessage(m.stream(), m.seq(), m.epoch(), m.id(), m.from(), null, m.ts())).toList();
    assertEquals(expected, noted, "one note per noted message: stream, seq, epoch, id, sender, time; no body");

    List<String> events = notes.stream().map(n -> "{\"seq\":" + n.message().seq() + "}").toList();
    assertEquals(0, queue.add(events, notes).await());
    assertEquals(List.of(), unsettled(s), "settled with their events");
    assertEquals(streams.size(), queue.take("test", EventQueue.START, 1000).await().size(), "the events are queued");
  }
}
