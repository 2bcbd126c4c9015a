package io.switchboard.cluster;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecentRoutesTest {

  private static final long AGE = TimeUnit.MILLISECONDS.toNanos(RecentRoutes.MAX_AGE_MS);

  @Test
  void anAnswerServesUntilItsLookupIsMaxAgeOld() {
    RecentRoutes routes = new RecentRoutes();
    long t0 = System.nanoTime();
    routes.put("alice", Set.of("n1"), t0);
    assertEquals(Set.of("n1"), routes.get("alice", t0 + AGE - 1));
    assertNull(routes.get("alice", t0 + AGE), "an answer older than its bound was reused");
    assertNull(routes.get("bob", t0));
  }

  @Test
  void anOlderLookupThatAnswersLateDoesNotReplaceANewerOne() {
    RecentRoutes routes = new RecentRoutes();
    long t0 = System.nanoTime();
    routes.put("alice", Set.of("n1", "n2"), t0 + 10);
    routes.put("alice", Set.of("n1"), t0);
    assertEquals(Set.of("n1", "n2"), routes.get("alice", t0 + 20));
  }

  @Test
  void itHoldsAtMostMaxEntriesAndMakesRoomByDroppingExpiredOnes() {
    RecentRoutes routes = new RecentRoutes();
    long old = System.nanoTime() - 2 * AGE;
    for (int i = 0; i < RecentRoutes.MAX_ENTRIES; i++) {
      routes.put("u" + i, Set.of("n1"), old);
    }
    long now = System.nanoTime();
    routes.put("fresh", Set.of("n2"), now);
    assertEquals(1, routes.size(), "the expired answers were not dropped");
    for (int i = 1; i < RecentRoutes.MAX_ENTRIES; i++) {
      routes.put("v" + i, Set.of("n1"), now);
    }
    routes.put("one-too-many", Set.of("n1"), now);
    assertEquals(RecentRoutes.MAX_ENTRIES, routes.size());
    assertNull(routes.get("one-too-many", now), "kept past its bound");
  }
}
