package io.switchboard.store.memory;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.Position;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.ReadResult;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryStoreTest extends StoreContract {

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    return new InMemoryStore(options, clock);
  }

  @Test
  void aClientInventingStreamsCannotGrowTheHeapPastTheBudget() {
    long budget = 1024 * 1024;
    InMemoryStore s = new InMemoryStore(new StoreOptions().setMemoryMaxBytes(budget), clock);
    String body = "\"" + "x".repeat(10_000) + "\"";
    for (int i = 0; i < 1000; i++) {
      s.append(new AppendRequest("user:invented-" + i, "flooder", body, "id-" + i)).await();
      clock.advance(Duration.ofMillis(1));
      assertTrue(s.bytes() <= budget, "over budget after " + i + " appends: " + s.bytes());
    }
    // the newest data is kept, the oldest went first and is gone for good
    ReadResult newest = s.read("user:invented-999", 1, 10).await();
    assertEquals(1, newest.messages().size());
    ReadResult oldest = s.read("user:invented-0", 1, 10).await();
    assertEquals(List.of(), oldest.messages());
    assertTrue(s.bytes() > budget / 2, "shedding stops near the budget: " + s.bytes());
  }

  @Test
  void overBudgetAStreamKeepsItsSeqsWhileItHasEntries() {
    InMemoryStore s = new InMemoryStore(new StoreOptions().setMemoryMaxBytes(1024 * 1024), clock);
    String body = "\"" + "y".repeat(5_000) + "\"";
    for (int i = 1; i <= 400; i++) {
      assertEquals(i, s.append(new AppendRequest("room:busy", "alice", body, null)).await().seq());
      clock.advance(Duration.ofMillis(1));
    }
    ReadResult page = s.read("room:busy", 1, 1000).await();
    assertEquals(400, page.head());
    assertTrue(page.firstAvailable() > 1, "the oldest entries were dropped: a resume below them gets a gap");
    assertEquals(401 - page.firstAvailable(), page.messages().size());
  }

  @Test
  void eachUserKeepsTheCursorsOfItsMostRecentDevices() {
    InMemoryStore s = new InMemoryStore(new StoreOptions(), clock);
    for (int d = 0; d <= InMemoryCursors.MAX_DEVICES_PER_USER; d++) {
      s.saveCursor("bob", "device-" + d, "user:bob", new Position(d + 1, 1)).await();
    }
    assertEquals(Map.of(), s.cursors("bob", "device-0", List.of("user:bob")).await(), "the oldest device is forgotten");
    assertEquals(Map.of("user:bob", new Position(2, 1)), s.cursors("bob", "device-1", List.of("user:bob")).await());
    assertEquals(Map.of("user:bob", new Position(33, 1)), s.cursors("bob", "device-32", List.of("user:bob")).await());
  }
}
