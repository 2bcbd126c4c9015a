package io.switchboard.store;

import io.switchboard.config.StoreOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link Store} must do. One subclass per implementation supplies {@link #create}; the
 * assertions are the same for all of them.
 */
public abstract class StoreContract {

  /** Redis call timeout for contract runs: generous, timing has tests of its own. */
  public static final int CONTRACT_TIMEOUT_MS = 10_000;

  protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<Store> opened = new ArrayList<>();

  /** A fresh, empty store with these options, reading time from {@code clock}. */
  protected abstract Store create(StoreOptions options, Clock clock);

  protected Store store() {
    return store(new StoreOptions());
  }

  protected Store store(StoreOptions options) {
    Store s = create(options, clock);
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(s -> s.close().await());
  }

  private static AppendResult append(Store s, String stream, String from, String body, String id) {
    return s.append(new AppendRequest(stream, from, body, id)).await();
  }

  // ---- log ------------------------------------------------------------------------------------

  @Test
  void seqsAreContiguousPerStreamAndStartAtOne() {
    Store s = store();
    assertEquals(1, append(s, "user:bob", "alice", "1", null).seq());
    assertEquals(2, append(s, "user:bob", "alice", "2", null).seq());
    assertEquals(1, append(s, "room:x", "alice", "3", null).seq());
    assertEquals(3, append(s, "user:bob", "carol", "4", null).seq());
  }

  @Test
  void anAppendReturnsWhatWasStored() {
    Store s = store();
    AppendResult r = append(s, "room:x", "alice", "{\"text\":\"hi\"}", "client-1");
    assertFalse(r.duplicate());
    assertEquals("client-1", r.id());
    StoredMessage m = r.message();
    assertEquals(new StoredMessage("room:x", 1, r.epoch(), "client-1", "alice", "{\"text\":\"hi\"}", clock.millis()), m);
    assertTrue(r.epoch() > 0, "a stream with a history has an epoch");
    assertEquals(List.of(m), s.read("room:x", 1, 10).await().messages());
  }

  @Test
  void messagesWithoutAClientIdGetUniqueIds() {
    Store s = store();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String id = append(s, "user:bob", "alice", "1", null).id();
      assertTrue(id != null && !id.isEmpty());
      ids.add(id);
    }
    assertEquals(100, ids.size());
  }

  @Test
  void readReturnsEntriesFromASeqInOrderUpToTheLimit() {
    Store s = store();
    for (int i = 1; i <= 10; i++) {
      append(s, "user:bob", "alice", String.valueOf(i), null);
    }
    ReadResult page = s.read("user:bob", 4, 3).await();
    assertEquals(List.of(4L, 5L, 6L), seqs(page));
    assertEquals("4", page.messages().get(0).body());
    assertEquals(1, page.firstAvailable());
    assertEquals(10, page.head());
    assertEquals(List.of(), seqs(s.read("user:bob", 11, 5).await()));
    assertEquals(List.of(1L, 2L), seqs(s.read("user:bob", 0, 2).await()));
  }

  @Test
  void aStreamNeverWrittenIsEmptyWithHeadZero() {
    ReadResult page = store().read("user:nobody", 1, 10).await();
    assertEquals(List.of(), page.messages());
    assertEquals(0, page.head());
    assertEquals(1, page.firstAvailable());
  }

  @Test
  void aReadNeverReturnsMoreThanAPage() {
    Store s = store(new StoreOptions().setRetentionMessages(MessageLog.MAX_PAGE + 50));
    for (int i = 0; i < MessageLog.MAX_PAGE + 50; i++) {
      append(s, "room:big", "alice", "1", null);
    }
    assertEquals(MessageLog.MAX_PAGE, s.read("room:big", 1, Integer.MAX_VALUE).await().messages().size());
  }

  @Test
  void retentionByCountKeepsTheNewestEntries() {
    Store s = store(new StoreOptions().setRetentionMessages(5));
    for (int i = 1; i <= 12; i++) {
      append(s, "user:bob", "alice", String.valueOf(i), null);
    }
    ReadResult page = s.read("user:bob", 1, 100).await();
    assertEquals(8, page.firstAvailable());
    assertEquals(12, page.head());
    assertEquals(List.of(8L, 9L, 10L, 11L, 12L), seqs(page));
  }

  @Test
  void retentionByAgeDropsEntriesAtTheirMaximumAge() {
    Store s = store(new StoreOptions().setRetentionSeconds(60));
    append(s, "user:bob", "alice", "old", null);
    clock.advance(Duration.ofSeconds(30));
    append(s, "user:bob", "alice", "newer", null);

    clock.advance(Duration.ofMillis(29_999));
    assertEquals(List.of(1L, 2L), seqs(s.read("user:bob", 1, 10).await()), "59.999 s old: still kept");
    clock.advance(Duration.ofMillis(1));
    ReadResult page = s.read("user:bob", 1, 10).await();
    assertEquals(List.of(2L), seqs(page), "60 s old: gone");
    assertEquals(2, page.firstAvailable());

    clock.advance(Duration.ofSeconds(30));
    ReadResult empty = s.read("user:bob", 1, 10).await();
    assertEquals(List.of(), empty.messages());
    assertEquals(3, empty.firstAvailable());
    assertEquals(2, empty.head());
  }

  @Test
  void seqsContinueAfterEverythingExpired() {
    Store s = store(new StoreOptions().setRetentionSeconds(1));
    append(s, "user:bob", "alice", "1", null);
    append(s, "user:bob", "alice", "2", null);
    clock.advance(Duration.ofSeconds(10));
    AppendResult third = append(s, "user:bob", "alice", "3", null);
    assertEquals(3, third.seq());
    assertEquals(Map.of("user:bob", new Position(3, third.epoch())), s.heads(List.of("user:bob")).await());
  }

  // ---- epochs ---------------------------------------------------------------------------------

  @Test
  void everySeqOfAHistoryHasItsEpoch() {
    Store s = store();
    AppendResult first = append(s, "user:bob", "alice", "1", null);
    AppendResult second = append(s, "user:bob", "alice", "2", null);
    assertTrue(first.epoch() > 0);
    assertEquals(first.epoch(), second.epoch());
    ReadResult page = s.read("user:bob", 1, 10).await();
    assertEquals(first.epoch(), page.epoch());
    assertTrue(page.messages().stream().allMatch(m -> m.epoch() == first.epoch()));
    assertEquals(Position.NONE, s.heads(List.of("user:nobody")).await().get("user:nobody"));
    assertEquals(0, s.read("user:nobody", 1, 10).await().epoch());
  }

  @Test
  void aStreamIdlePastItsLifeIsForgottenAndStartsANewEpoch() {
    Store s = store(new StoreOptions().setRetentionSeconds(60));
    AppendResult old = append(s, "user:bob", "alice", "1", "m-1");
    append(s, "user:bob", "alice", "2", null);

    clock.advance(Duration.ofMillis(60_000 + MessageLog.IDLE_GRACE_MS));
    ReadResult stillKnown = s.read("user:bob", 1, 10).await();
    assertEquals(List.of(), stillKnown.messages(), "all of it is past its age");
    assertEquals(new Position(2, old.epoch()), new Position(stillKnown.head(), stillKnown.epoch()),
        "within the grace the head still says what was lost");

    clock.advance(Duration.ofMillis(1));
    assertEquals(Position.NONE, s.heads(List.of("user:bob")).await().get("user:bob"), "past the grace: no history");
    ReadResult forgotten = s.read("user:bob", 1, 10).await();
    assertEquals(0, forgotten.head());
    assertEquals(0, forgotten.epoch());

    AppendResult fresh = append(s, "user:bob", "alice", "1", "m-1");
    assertFalse(fresh.duplicate(), "an id of the old history is not a duplicate in the new one");
    assertEquals(1, fresh.seq());
    assertTrue(fresh.epoch() > old.epoch(), "a new history's epoch is above the old one's");
    assertEquals(Map.of("user:bob", new Position(1, fresh.epoch())), s.heads(List.of("user:bob")).await());
    assertEquals(List.of(1L), seqs(s.read("user:bob", 1, 10).await()));
  }

  @Test
  void epochsOfAStreamOnlyGrowEvenWithinOneMillisecond() {
    Store s = store(new StoreOptions().setRetentionSeconds(1));
    long previous = 0;
    for (int i = 0; i < 3; i++) {
      AppendResult r = append(s, "room:x", "alice", "1", null);
      assertEquals(1, r.seq());
      assertTrue(r.epoch() > previous, "epoch " + r.epoch() + " after " + previous);
      previous = r.epoch();
      // forgotten at once: the clock does not move between the appends
      clock.advance(Duration.ofMillis(1_000 + MessageLog.IDLE_GRACE_MS + 1));
    }
  }

  @Test
  void aRetriedIdAppendsNothingAndReturnsTheFirstResult() {
    Store s = store();
    AppendResult first = append(s, "user:bob", "alice", "\"hello\"", "m-1");
    AppendResult retry = append(s, "user:bob", "alice", "\"hello again\"", "m-1");
    assertTrue(retry.duplicate());
    assertEquals(first.seq(), retry.seq());
    assertEquals("m-1", retry.id());
    assertEquals(first.message(), retry.message(), "the original, not the retried body");
    assertEquals(first.seq() + 1, append(s, "user:bob", "alice", "next", null).seq());
    assertEquals(1, s.read("user:bob", 1, 10).await().messages().stream().filter(m -> m.id().equals("m-1")).count());
  }

  @Test
  void idsAreScopedBySenderAndStream() {
    Store s = store();
    assertFalse(append(s, "user:bob", "alice", "1", "same").duplicate());
    assertFalse(append(s, "user:bob", "carol", "1", "same").duplicate());
    assertFalse(append(s, "user:dave", "alice", "1", "same").duplicate());
    assertTrue(append(s, "user:bob", "alice", "1", "same").duplicate());
  }

  @Test
  void anIdIsForgottenAfterTheIdempotencyWindow() {
    Store s = store(new StoreOptions().setIdempotencySeconds(600));
    long first = append(s, "user:bob", "alice", "1", "m-1").seq();
    clock.advance(Duration.ofSeconds(599));
    assertTrue(append(s, "user:bob", "alice", "1", "m-1").duplicate());
    clock.advance(Duration.ofSeconds(1));
    AppendResult again = append(s, "user:bob", "alice", "1", "m-1");
    assertFalse(again.duplicate());
    assertEquals(first + 1, again.seq());
  }

  @Test
  void aDuplicateOfATrimmedMessageStillAnswersItsSeq() {
    Store s = store(new StoreOptions().setRetentionMessages(2));
    long seq = append(s, "user:bob", "alice", "1", "m-1").seq();
    append(s, "user:bob", "alice", "2", null);
    append(s, "user:bob", "alice", "3", null);
    AppendResult retry = append(s, "user:bob", "alice", "1", "m-1");
    assertTrue(retry.duplicate());
    assertEquals(seq, retry.seq());
    assertNull(retry.message());
  }

  @Test
  void headsOfSeveralStreams() {
    Store s = store();
    append(s, "user:bob", "alice", "1", null);
    append(s, "user:bob", "alice", "1", null);
    append(s, "room:x", "alice", "1", null);
    Map<String, Position> heads = s.heads(List.of("user:bob", "room:x", "all")).await();
    assertEquals(2, heads.get("user:bob").seq());
    assertEquals(1, heads.get("room:x").seq());
    assertEquals(Position.NONE, heads.get("all"));
  }

  @Test
  void concurrentAppendsGetDistinctContiguousSeqs() throws Exception {
    Store s = store(new StoreOptions().setRetentionMessages(10_000));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 250; i++) {
            seqs.add(append(s, "room:busy", "alice", "1", null).seq());
          }
        }));
      }
      for (Future<?> f : tasks) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(LongStream.rangeClosed(1, 2000).boxed().collect(Collectors.toSet()), new HashSet<>(seqs));
    assertEquals(2000, seqs.size());
  }

  // ---- cursors --------------------------------------------------------------------------------

  @Test
  void cursorsArePerUserDeviceAndStreamAndOnlyMoveForward() {
    Store s = store();
    assertEquals(Map.of(), s.cursors("bob", "phone", List.of("user:bob")).await());
    s.saveCursor("bob", "phone", "user:bob", at(5, 7)).await();
    s.saveCursor("bob", "phone", "room:x", at(2, 7)).await();
    s.saveCursor("bob", "laptop", "user:bob", at(9, 7)).await();
    s.saveCursor("bob", "phone", "user:bob", at(3, 7)).await();
    assertEquals(Map.of("user:bob", at(5, 7), "room:x", at(2, 7)),
        s.cursors("bob", "phone", List.of("user:bob", "room:x", "all")).await());
    assertEquals(Map.of("user:bob", at(9, 7)), s.cursors("bob", "laptop", List.of("user:bob")).await());
    assertEquals(Map.of("room:x", at(2, 7)), s.cursors("bob", "phone", List.of("room:x")).await());
    assertEquals(Map.of(), s.cursors("alice", "phone", List.of("user:bob")).await());
    assertEquals(Set.of("phone", "laptop"), Set.copyOf(s.devices("bob").await()), "the devices with cursors");
  }

  @Test
  void aCursorOfANewerEpochReplacesAnyOlderOneAndNeverTheReverse() {
    Store s = store();
    s.saveCursor("bob", "phone", "user:bob", at(50, 7)).await();
    s.saveCursor("bob", "phone", "user:bob", at(0, 8)).await();
    assertEquals(Map.of("user:bob", at(0, 8)), s.cursors("bob", "phone", List.of("user:bob")).await(),
        "the stream started over: the lower seq of the new epoch is further on");
    s.saveCursor("bob", "phone", "user:bob", at(60, 7)).await();
    assertEquals(Map.of("user:bob", at(0, 8)), s.cursors("bob", "phone", List.of("user:bob")).await(),
        "a late ack of the old history changes nothing");
    s.saveCursor("bob", "phone", "user:bob", at(3, 8)).await();
    assertEquals(Map.of("user:bob", at(3, 8)), s.cursors("bob", "phone", List.of("user:bob")).await());
  }

  @Test
  void cursorsDoNotExpire() {
    Store s = store(new StoreOptions().setRetentionSeconds(60));
    s.saveCursor("bob", "phone", "user:bob", at(5, 7)).await();
    clock.advance(Duration.ofDays(400));
    assertEquals(Map.of("user:bob", at(5, 7)), s.cursors("bob", "phone", List.of("user:bob")).await());
  }

  private static Position at(long seq, long epoch) {
    return new Position(seq, epoch);
  }

  // ---- membership -----------------------------------------------------------------------------

  @Test
  void membershipIsRecordedInBothDirections() {
    Store s = store();
    assertTrue(s.join("lobby", "alice", false, at(0, 0)).await());
    assertFalse(s.join("lobby", "alice", false, at(0, 0)).await(), "already a member");
    assertTrue(s.join("lobby", "bob", false, at(0, 0)).await());
    assertTrue(s.join("team", "alice", false, at(0, 0)).await());
    assertEquals(Set.of("lobby", "team"), s.rooms("alice").await().keySet());
    assertEquals(Set.of("alice", "bob"), s.members("lobby").await());

    assertTrue(s.leave("lobby", "alice").await());
    assertFalse(s.leave("lobby", "alice").await(), "no longer a member");
    assertEquals(Set.of("team"), s.rooms("alice").await().keySet());
    assertEquals(Set.of("bob"), s.members("lobby").await());
    assertEquals(Map.of(), s.rooms("nobody").await());
    assertEquals(Set.of(), s.members("empty").await());
  }

  @Test
  void aMembershipRemembersThatTheApiGrantedItAndWhereItBegan() {
    Store s = store();
    assertTrue(s.join("ops", "alice", true, at(3, 7)).await());
    assertTrue(s.join("lobby", "alice", false, at(9, 7)).await());
    assertEquals(Map.of("ops", new Membership(true, at(3, 7)), "lobby", new Membership(false, at(9, 7))),
        s.rooms("alice").await());
    assertFalse(s.join("lobby", "alice", true, at(12, 7)).await(), "a grant of an existing membership adds no member");
    assertEquals(new Membership(true, at(9, 7)), s.rooms("alice").await().get("lobby"),
        "granted now, and it still began where it began");
    assertFalse(s.join("ops", "alice", false, at(20, 7)).await());
    assertEquals(new Membership(true, at(3, 7)), s.rooms("alice").await().get("ops"), "a client's join keeps the grant");
    assertTrue(s.leave("ops", "alice").await());
    assertTrue(s.join("ops", "alice", false, at(30, 7)).await());
    assertEquals(new Membership(false, at(30, 7)), s.rooms("alice").await().get("ops"),
        "leaving ends the grant, and a new membership begins anew");
  }

  @Test
  void aHealthyStoreAnswersPing() {
    store().ping().await();
  }

  private static List<Long> seqs(ReadResult page) {
    return page.messages().stream().map(StoredMessage::seq).collect(Collectors.toList());
  }

}
