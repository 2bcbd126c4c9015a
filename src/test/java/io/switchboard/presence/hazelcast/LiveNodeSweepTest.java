package io.switchboard.presence.hazelcast;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.NodeBeats;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A member Hazelcast removed is only swept once its beat in the store has expired too: a node cut
 * off by a partition, or frozen, keeps its users online; one that is really gone loses them.
 */
class LiveNodeSweepTest {

  @Test
  void aRemovedMemberThatStillBeatsKeepsItsUsersUntilItsBeatIsGone() {
    Vertx vertx = Vertx.vertx();
    InMemoryStore store = new InMemoryStore(new StoreOptions());
    AtomicInteger checks = new AtomicInteger();
    NodeBeats beats = new NodeBeats() {
      @Override
      public Future<Void> beat(String nodeId, long ttlMs) {
        return store.beat(nodeId, ttlMs);
      }

      @Override
      public Future<Set<String>> alive() {
        checks.incrementAndGet();
        return store.alive();
      }

      @Override
      public Future<Void> forget(String nodeId) {
        return store.forget(nodeId);
      }
    };
    try (Members members = Members.start(2, c -> { })) {
      HazelcastPresenceRegistry a = new HazelcastPresenceRegistry(vertx, members.get(0), Members.nodeId(0), beats);
      ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
      a.onLost((user, rooms) -> lost.add(user));
      HazelcastPresenceRegistry b = new HazelcastPresenceRegistry(vertx, members.get(1), Members.nodeId(1), beats);
      a.sessionOpened("a.1", "on-a", List.of("room")).await();
      b.sessionOpened("b.1", "on-b", List.of("room")).await();
      b.close();
      store.beat(Members.nodeId(0), 600_000).await();
      store.beat(Members.nodeId(1), 600_000).await();

      // the other member vanishes from the view (as when it freezes, or the network splits)
      members.get(1).getLifecycleService().terminate();
      RedisServer.await("the member to leave the view", 30_000, () -> members.get(0).getCluster().getMembers().size() == 1);
      int before = checks.get();
      RedisServer.await("three checks of its beat", 30_000, () -> checks.get() >= before + 3);
      assertEquals(1, a.sessions("on-b").await(), "a node that still beats was swept");
      assertEquals(2, a.room("room", 10).await().count());
      assertTrue(lost.isEmpty(), lost.toString());

      // now it is gone for good: its beat goes too
      store.forget(Members.nodeId(1)).await();
      RedisServer.await("its users to be reported offline", 30_000, () -> lost.contains("on-b"));
      assertEquals(0, a.sessions("on-b").await());
      assertEquals(List.of("on-a"), a.room("room", 10).await().users());
      a.close();
    } finally {
      vertx.close().await();
    }
  }
}
