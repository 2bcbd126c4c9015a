package io.switchboard.presence.hazelcast;

import io.switchboard.config.StoreOptions;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.support.HazelcastBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What one presence change to a room costs Hazelcast, with 10 and with 10,000 users online in it:
 * the bytes it serializes and deserializes, on both members (owner and backup), counted by
 * {@link HazelcastBytes} (serializers in place of Hazelcast's own for Java maps and lists and of
 * Java serialization; the entry processors and their answers, written by their own ids, are not
 * counted, and a read's listing is checked by its length). Maps and lists must cost exactly the same; the
 * total may differ by an answer deserialized once or twice on the calling side (a race inside
 * Hazelcast's futures), never by anything that grows with the room. Before the fix the room's online set was one
 * serialized map: every change read and wrote all of it on the owner and again on the backup, and
 * every welcome fetched it whole. Now a change must cost the same whatever the room's size, and a
 * read must not carry the set.
 */
class RoomPresenceCostTest {

  static final String ROOM = "big";
  static final int LIMIT = 10;
  /**
   * Bytes an answer may be deserialized once more or less on the calling side, depending on whether
   * it arrived before or after the caller's callback was registered (Hazelcast's futures).
   */
  static final long CALLER_SLACK = 512;

  /** Bytes per change: of maps and lists, and of everything. */
  record Cost(Bytes open, Bytes join, Bytes leave, Bytes close, Bytes read) {
  }

  record Bytes(long collections, long all) {
    @Override
    public String toString() {
      return collections + "/" + all;
    }
  }

  @Test
  void aChangeCostsTheSameWithTenOrTenThousandOnlineAndAReadCarriesOnlyWhatItLists() {
    Vertx vertx = Vertx.vertx();
    try (Members members = Members.start(2, HazelcastBytes::install)) {
      HazelcastPresenceRegistry registry = new HazelcastPresenceRegistry(vertx, members.get(0), Members.nodeId(0),
          new InMemoryStore(new StoreOptions()));
      // its periodic sweep would be counted too if it ran during a measurement: calls work without it
      registry.close();
      // a call costs more bytes when its key lives on the other member: every key measured lives there
      String smallRoom = remoteKey(members, "room-a-");
      String largeRoom = remoteKey(members, "room-b-");
      fill(registry, smallRoom, "a-", 10);
      fill(registry, largeRoom, "b-", 10_000);
      Cost small = measure(registry, members, smallRoom, remoteKey(members, "late-a-"), remoteKey(members, "xtra-a-"), 10);
      Cost large = measure(registry, members, largeRoom, remoteKey(members, "late-b-"), remoteKey(members, "xtra-b-"), 10_000);
      System.out.println("bytes Hazelcast (de)serialized per change, of maps and lists/of everything, 10 online: "
          + small + "; 10,000 online: " + large);
      assertSame("open", small.open(), large.open());
      assertSame("join", small.join(), large.join());
      assertSame("leave", small.leave(), large.leave());
      assertSame("close", small.close(), large.close());
      assertSame("read", small.read(), large.read());
    } finally {
      vertx.close().await();
    }
  }

  private static void fill(HazelcastPresenceRegistry registry, String room, String prefix, int online) {
    List<Future<PresenceRegistry.Opened>> batch = new ArrayList<>();
    for (int i = 0; i < online; i++) {
      String user = prefix + String.format("%05d", i);
      batch.add(registry.sessionOpened("s-" + user, user, List.of(room)));
      if (batch.size() == 500) {
        Future.all(batch).await();
        batch.clear();
      }
    }
    Future.all(batch).await();
    assertEquals(online, registry.room(room, 0).await().count(), "online in " + room + " before measuring");
  }

  private static Cost measure(HazelcastPresenceRegistry registry, Members members, String room, String late, String extra,
                              int online) {
    registry.sessionOpened("s-" + extra, extra, List.of()).await();
    Bytes open = cost(() -> registry.sessionOpened("s-" + late, late, List.of(room)));
    Bytes join = cost(() -> registry.joined(room, extra));
    assertEquals(online + 2, registry.room(room, 0).await().count());
    Bytes leave = cost(() -> registry.left(room, extra));
    Bytes close = cost(() -> registry.sessionClosed("s-" + late, late, List.of(room)));
    RoomPresence[] read = new RoomPresence[1];
    Bytes readCost = cost(() -> registry.room(room, LIMIT).map(p -> read[0] = p));
    assertEquals(online, read[0].count());
    assertEquals(LIMIT, read[0].users().size());

    // the counters do see the online set when Hazelcast moves it whole
    long before = HazelcastBytes.all();
    Map<String, Long> whole = members.get(0).<String, LinkedHashMap<String, Long>>getMap(HazelcastPresenceRegistry.ROOMS).get(room);
    assertEquals(online, whole.size());
    assertTrue(HazelcastBytes.all() - before >= online * 10L, "the whole set was read without being counted");
    return new Cost(open, join, leave, close, readCost);
  }

  /** {@code prefix} and four digits: a key whose partition the second member owns. */
  private static String remoteKey(Members members, String prefix) {
    for (int i = 0; ; i++) {
      String key = prefix + String.format("%04d", i);
      if (!members.get(0).getPartitionService().getPartition(key).getOwner().localMember()) {
        return key;
      }
    }
  }

  private static Bytes cost(Supplier<Future<?>> change) {
    long all = HazelcastBytes.all();
    long collections = HazelcastBytes.collections();
    change.get().await();
    // maps and lists: the form the online set has, and any whole copy or listing of it; exact, as
    // nothing on the calling side varies
    return new Bytes(HazelcastBytes.collections() - collections, HazelcastBytes.all() - all);
  }

  private static void assertSame(String what, Bytes small, Bytes large) {
    assertEquals(small.collections(), large.collections(), what + ": maps and lists");
    assertTrue(Math.abs(small.all() - large.all()) <= CALLER_SLACK, what + ": everything, " + small + " vs " + large);
  }
}
