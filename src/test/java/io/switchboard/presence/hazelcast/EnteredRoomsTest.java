package io.switchboard.presence.hazelcast;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.switchboard.presence.PresenceRegistry.Opened;
import io.switchboard.presence.RoomPresence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's first session counts them online in their rooms and, with the same call, tells the
 * welcome's online lists: what a read right after the count would give, the user among them. A
 * later session of the user counts nothing, so its lists are still read.
 */
class EnteredRoomsTest {

  static RegistryOnTwoMembers cluster;
  static HazelcastPresenceRegistry registry;

  @BeforeAll
  static void start() {
    cluster = new RegistryOnTwoMembers();
    registry = cluster.registry;
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aFirstSessionGetsItsRoomsListsFromTheCount() {
    List<String> rooms = List.of("er-room", "er-room-2", "er-room-3", "er-quiet");
    registry.sessionOpened("s-a", "er-a", List.of("er-room", "er-room-2", "er-room-3")).await();
    registry.sessionOpened("s-b", "er-b", List.of("er-room", "er-room-2", "er-room-3")).await();

    Opened opened = registry.sessionOpened("s-c", "er-c", rooms, 2).await();

    assertTrue(opened.first());
    assertNotNull(opened.online(), "the count answered the lists");
    assertEquals(rooms.size(), opened.online().size(), opened.online().toString());
    Map<String, RoomPresence> read = registry.rooms(rooms, 2).await();
    for (String room : rooms) {
      RoomPresence told = opened.online().get(room);
      assertEquals(read.get(room).users(), told.users(), room + ": what a read after the count gives");
      assertEquals(read.get(room).count(), told.count(), room);
      assertEquals(told.count(), opened.counts().get(room), room + ": the count that decides the presence frames");
    }
    assertEquals(List.of("er-a", "er-b"), opened.online().get("er-room").users(),
        "the first two, in the order they came");
    assertEquals(3, opened.online().get("er-room").count());
    assertEquals(List.of("er-c"), opened.online().get("er-quiet").users(), "the user is in the lists");

    Opened again = registry.sessionOpened("s-c2", "er-c", rooms, 2).await();
    assertFalse(again.first());
    assertNull(again.online(), "a second session counts nothing: its lists are read");
  }

  @Test
  void withoutALimitNothingIsListed() {
    Opened opened = registry.sessionOpened("s-d", "er-d", List.of("er-room-4"), 0).await();
    assertTrue(opened.first());
    assertNull(opened.online());
    assertEquals(Map.of("er-room-4", 1), opened.counts());
  }

  /** The backup replica runs the processor's backup: the same write, with nothing listed. */
  @Test
  void theBackupWritesTheSameAndListsNothing() {
    IMap<String, LinkedHashMap<String, Long>> rooms = cluster.members.get(0).getMap(HazelcastPresenceRegistry.ROOMS);
    RoomOps.Entered entered = new RoomOps.Entered("er-e", 5, 10);
    @SuppressWarnings("unchecked")
    EntryProcessor<String, LinkedHashMap<String, Long>, PresenceAnswers.Listed> backup =
        (EntryProcessor<String, LinkedHashMap<String, Long>, PresenceAnswers.Listed>) entered.getBackupProcessor();

    PresenceAnswers.Listed byOwner = rooms.executeOnKey("er-owner", entered);
    PresenceAnswers.Listed byBackup = rooms.executeOnKey("er-backup", backup);

    assertEquals(List.of("er-e"), byOwner.users());
    assertEquals(List.of(), byBackup.users(), "the backup lists nothing");
    assertEquals(rooms.get("er-owner"), rooms.get("er-backup"), "the same write");
    assertEquals(Map.of("er-e", 5L), rooms.get("er-backup"));
  }
}
