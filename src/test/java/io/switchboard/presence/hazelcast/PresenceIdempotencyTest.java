package io.switchboard.presence.hazelcast;

import com.hazelcast.map.IMap;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.PresenceRegistry.Closed;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hazelcast runs an entry processor a second time when the member running it leaves before
 * answering, and the presence service retries a close that failed: each operation must leave the
 * registry as one run does, and a retry must finish what a failed attempt left half done.
 */
class PresenceIdempotencyTest {

  static RegistryOnTwoMembers cluster;
  static Vertx vertx;
  static HazelcastPresenceRegistry registry;
  static IMap<String, UserPresence> users;

  @BeforeAll
  static void start() {
    cluster = new RegistryOnTwoMembers();
    vertx = cluster.vertx;
    registry = cluster.registry;
    users = cluster.members.get(0).getMap(HazelcastPresenceRegistry.USERS);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void anOpenedThatHazelcastRunsTwiceCountsTheSessionOnce() {
    assertTrue(registry.sessionOpened("s1", "twice", List.of("r-twice")).await().first());
    // what Hazelcast does when the member that ran it left before answering: the same processor again
    users.executeOnKey("twice", new UserOps.Opened(Members.nodeId(0), "s1", List.of("r-twice")));
    assertEquals(1, registry.sessions("twice").await());

    assertEquals(Closed.WENT_OFFLINE, registry.sessionClosed("s1", "twice", List.of("r-twice")).await());
    assertFalse(registry.isOnline("twice").await(), "a second run of an open left a session nobody closes");
    assertEquals(0, registry.room("r-twice", 10).await().count());
  }

  @Test
  void aSecondRunOfAFirstOpenWhoseAnswerWasLostStillPutsTheUserInTheirRooms() {
    // the first run counted the session, and its answer (which tells the rooms) never came back
    users.executeOnKey("lost-answer", new UserOps.Opened(Members.nodeId(0), "s1", List.of("r-lost")));
    assertEquals(0, registry.room("r-lost", 10).await().count());
    // the run whose answer does come back finds the session there already
    assertTrue(registry.sessionOpened("s1", "lost-answer", List.of("r-lost")).await().first(), "the user came online");
    assertEquals(List.of("lost-answer"), registry.room("r-lost", 10).await().users());
  }

  @Test
  void aClosedWhoseRoomUpdateFailedIsFinishedByItsRetry() {
    registry.sessionOpened("s1", "half", List.of("r-half")).await();
    // a first attempt that closed the session and failed before the room heard of it
    users.executeOnKey("half", new UserOps.Closed(Members.nodeId(0), "s1"));
    assertEquals(1, registry.room("r-half", 10).await().count());

    assertEquals(Closed.WAS_OFFLINE, registry.sessionClosed("s1", "half", List.of("r-half")).await());
    assertEquals(0, registry.room("r-half", 10).await().count(), "the retry left the user online in the room");
  }

  @Test
  void closingTheSameSessionTwiceLeavesTheOtherSessionsOpen() {
    registry.sessionOpened("s1", "two-tabs", List.of("r-tabs")).await();
    registry.sessionOpened("s2", "two-tabs", List.of("r-tabs")).await();
    assertEquals(Closed.STILL_ONLINE, registry.sessionClosed("s1", "two-tabs", List.of("r-tabs")).await());
    assertEquals(Closed.STILL_ONLINE, registry.sessionClosed("s1", "two-tabs", List.of("r-tabs")).await());
    assertEquals(1, registry.sessions("two-tabs").await());
    assertEquals(1, registry.room("r-tabs", 10).await().count());
  }

  @Test
  void sessionsWrittenAgainAfterAMergeAreListedAsThisNodesAndCountedOnce() {
    registry.sessionOpened("s1", "merged", List.of("r-merged")).await();
    assertFalse(registry.sessionRepublished("s1", "merged", List.of("r-merged")).await(), "the user never went offline");
    assertEquals(1, registry.sessions("merged").await());
    // a merge that lost the entry: written again, the user is back (and the room must hear it)
    users.delete("merged");
    cluster.members.get(0).<String, Object>getMap(HazelcastPresenceRegistry.ROOMS).delete("r-merged");
    assertTrue(registry.sessionRepublished("s1", "merged", List.of("r-merged")).await());
    assertEquals(List.of("merged"), registry.room("r-merged", 10).await().users());
    Map<String, PresenceRegistry.Held> own = registry.ownSessions().await();
    assertEquals(new PresenceRegistry.Held(Set.of("s1"), Set.of("r-merged")), own.get("merged"));
  }
}
