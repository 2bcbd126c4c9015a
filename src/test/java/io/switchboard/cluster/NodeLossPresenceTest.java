package io.switchboard.cluster;

import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose Hazelcast member is terminated (no graceful leave, its sessions never close
 * normally): the others must still report its users offline, within the failure timeout plus one
 * cleanup. The process-kill version of this runs in ClusterIT.
 */
class NodeLossPresenceTest {

  static final int FAILURE_TIMEOUT_MS = 3_000;

  @Test
  void usersOfALostNodeGoOfflineForTheirRooms() {
    JsonObject config = new JsonObject().put("cluster", new JsonObject().put("failureTimeoutMs", FAILURE_TIMEOUT_MS));
    try (TestCluster cluster = TestCluster.start(3, config)) {
      TestNode a = cluster.node(0);
      TestNode doomed = cluster.node(2);
      WsClient alice = a.login("nl-alice");
      alice.join("nl-room");
      WsClient dave = doomed.login("nl-dave");
      dave.join("nl-room");
      assertEquals("online", alice.awaitType("presence").getString("state"));

      long lostAt = System.currentTimeMillis();
      ((HazelcastClusterManager) ((VertxInternal) doomed.vertx()).clusterManager()).getHazelcastInstance()
          .getLifecycleService().terminate();

      JsonObject offline = alice.awaitType("presence");
      long tookMs = System.currentTimeMillis() - lostAt;
      assertEquals(new JsonObject().put("type", "presence").put("room", "nl-room").put("user", "nl-dave")
          .put("state", "offline"), offline);
      assertTrue(tookMs < FAILURE_TIMEOUT_MS + 5_000, "offline after " + tookMs + " ms");
      alice.close();
      // its Vert.x lost its cluster member and cannot leave cleanly: do not wait long for it
      doomed.closeWithin(2);
    }
  }
}
