package io.switchboard.presence.hazelcast;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.memory.InMemoryStore;
import io.switchboard.support.RedisServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node that left the cluster is not a place to send a user's messages, though its sessions stay
 * counted until the sweep finds it dead: here it still beats, so they stay.
 */
class DepartedNodesTest {

  @Test
  void aUsersNodesLeaveOutOneThatLeftTheClusterWhileItsSessionsAreStillCounted() {
    Vertx vertx = Vertx.vertx();
    InMemoryStore beats = new InMemoryStore(new StoreOptions());
    try (Members members = Members.start(2, c -> { })) {
      HazelcastPresenceRegistry a = new HazelcastPresenceRegistry(vertx, members.get(0), Members.nodeId(0), beats);
      HazelcastPresenceRegistry b = new HazelcastPresenceRegistry(vertx, members.get(1), Members.nodeId(1), beats);
      a.sessionOpened("a.1", "carol", List.of()).await();
      b.sessionOpened("b.1", "carol", List.of()).await();
      assertEquals(Set.of(Members.nodeId(0), Members.nodeId(1)), a.nodesOf("carol").await());
      beats.beat(Members.nodeId(0), 600_000).await();
      beats.beat(Members.nodeId(1), 600_000).await();

      b.close();
      members.get(1).getLifecycleService().terminate();
      RedisServer.await("b to leave a's view", 30_000, () -> members.get(0).getCluster().getMembers().size() == 1);
      RedisServer.await("b taken for departed", 30_000, () -> a.nodesOf("carol").await().equals(Set.of(Members.nodeId(0))));
      assertEquals(2, a.sessions("carol").await(), "b still beats: its session is not swept");
    } finally {
      vertx.close().await();
    }
  }
}
