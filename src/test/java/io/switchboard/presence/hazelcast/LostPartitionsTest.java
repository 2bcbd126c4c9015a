package io.switchboard.presence.hazelcast;

import com.hazelcast.cluster.Member;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When members leave together with every copy of some entries (here: no backups, one of two members
 * gone), a node cannot tell an online user out of sight from an offline one: such users read as
 * unknown, never as offline, until the members out of sight are found dead (or come back); this
 * node's own users there are written again at once.
 */
class LostPartitionsTest {

  static final int USERS = 40;

  @Test
  void usersInLostPartitionsAreUnknownUntilTheMissingMemberIsFoundDead() {
    Vertx vertx = Vertx.vertx();
    InMemoryStore beats = new InMemoryStore(new StoreOptions());
    try (Members members = Members.start(2, c -> {
      c.getMapConfig(HazelcastPresenceRegistry.USERS).setBackupCount(0);
      c.getMapConfig(HazelcastPresenceRegistry.ROOMS).setBackupCount(0);
    })) {
      HazelcastPresenceRegistry a = new HazelcastPresenceRegistry(vertx, members.get(0), Members.nodeId(0), beats);
      HazelcastPresenceRegistry b = new HazelcastPresenceRegistry(vertx, members.get(1), Members.nodeId(1), beats);
      AtomicInteger repairs = new AtomicInteger();
      a.onMerged(() -> {
        repairs.incrementAndGet();
        List<Future<Boolean>> writes = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
          writes.add(a.sessionRepublished("a." + i, "on-a-" + i, List.of("room")));
        }
        return Future.all(writes).mapEmpty();
      });
      for (int i = 0; i < USERS; i++) {
        a.sessionOpened("a." + i, "on-a-" + i, List.of("room")).await();
        b.sessionOpened("b." + i, "on-b-" + i, List.of("room")).await();
      }
      b.close();
      beats.beat(Members.nodeId(0), 600_000).await();
      beats.beat(Members.nodeId(1), 600_000).await();

      // without backups, the partitions b owns are the ones lost when it goes; Hazelcast reports
      // each loss on its own, so the test waits for every one of them before it reads
      Set<String> inLost = new HashSet<>();
      Member gone = members.get(1).getCluster().getLocalMember();
      for (String prefix : List.of("on-a-", "on-b-")) {
        for (int i = 0; i < USERS; i++) {
          if (gone.equals(members.get(0).getPartitionService().getPartition(prefix + i).getOwner())) {
            inLost.add(prefix + i);
          }
        }
      }

      // b leaves the view but still beats (a network split): the partitions it owned are gone
      members.get(1).getLifecycleService().terminate();
      RedisServer.await("b to leave the view", 30_000, () -> members.get(0).getCluster().getMembers().size() == 1);
      RedisServer.await("b's partitions to be reported lost", 30_000, () -> inLost.stream().noneMatch(a::known));
      RedisServer.await("a's own users to be written again", 30_000, () -> repairs.get() > 0 && everyHas(a, "on-a-", 1));
      int lostUsers = unknown(a, "on-b-");
      assertTrue(unknown(a, "on-a-") > 0, "no user of a was in a lost partition: the repair was not tested");
      assertEquals(inLost.size(), unknown(a, "on-a-") + lostUsers, "a partition b did not own read as lost");

      // a user that reads known reads right: b's users in a's own partitions are still there
      for (int i = 0; i < USERS; i++) {
        if (a.known("on-b-" + i)) {
          assertEquals(1, a.sessions("on-b-" + i).await(), "on-b-" + i);
        }
      }
      // past the settle time the lost partitions stay unknown while b beats
      long settledAt = System.nanoTime() + (LostPartitions.SETTLE_MS + 2 * NodeDepartures.RECHECK_MS) * 1_000_000L;
      RedisServer.await("the settle time to pass", 30_000, () -> System.nanoTime() > settledAt);
      assertEquals(lostUsers, unknown(a, "on-b-"), "users out of sight read as known while their node still beats");

      // b is gone for good: its beat goes, it is swept, and every user reads known again
      beats.forget(Members.nodeId(1)).await();
      RedisServer.await("every user to read known", 30_000, () -> unknown(a, "on-b-") == 0 && unknown(a, "on-a-") == 0);
      RedisServer.await("b's users swept", 30_000, () -> everyHas(a, "on-b-", 0));
      assertTrue(everyHas(a, "on-a-", 1), "a user of a lost a session");
      a.close();
    } finally {
      vertx.close().await();
    }
  }

  private static int unknown(HazelcastPresenceRegistry r, String prefix) {
    int n = 0;
    for (int i = 0; i < USERS; i++) {
      if (!r.known(prefix + i)) {
        n++;
      }
    }
    return n;
  }

  private static boolean everyHas(HazelcastPresenceRegistry r, String prefix, int sessions) {
    for (int i = 0; i < USERS; i++) {
      if (r.sessions(prefix + i).await() != sessions) {
        return false;
      }
    }
    return true;
  }
}
