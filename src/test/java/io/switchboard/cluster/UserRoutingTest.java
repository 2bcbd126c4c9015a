package io.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.switchboard.routing.Addresses;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries to a user go to the nodes presence counts the user's sessions on: a connect registers
 * nothing cluster-wide on the event bus (docs/architecture.md, "Connecting and resuming").
 */
class UserRoutingTest {

  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, new JsonObject());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aConnectRegistersNoClusterWideConsumerForItsUserStream() {
    try (WsClient alice = cluster.node(1).login("ur-reg-alice")) {
      alice.join("ur-reg-room");
      Set<String> addresses = new HashSet<>();
      hazelcast(cluster.node(0)).getMultiMap("__vertx.subs").keySet().forEach(k -> addresses.add((String) k));
      assertTrue(addresses.contains(Addresses.stream("room:ur-reg-room")), "rooms are clustered consumers: " + addresses);
      for (TestNode node : cluster.nodes()) {
        assertTrue(addresses.contains(Addresses.inbox(node.services().control().nodeId())), "no inbox of a node: " + addresses);
      }
      assertFalse(addresses.contains(Addresses.stream("user:ur-reg-alice")), "a user stream was registered cluster-wide");
    }
  }

  @Test
  void aUsersSessionsOnEveryNodeGetEveryMessageOnceInOrder() {
    List<WsClient> sessions = new ArrayList<>();
    for (TestNode node : cluster.nodes()) {
      sessions.add(node.login("ur-dora"));
    }
    try (WsClient sender = cluster.node(0).login("ur-sender")) {
      int count = 200;
      // pipelined, so that lookups of the recipient's nodes overlap and may answer out of order
      for (int i = 1; i <= count; i++) {
        sender.send(new JsonObject().put("type", "send").put("ref", "r" + i).put("to", "user:ur-dora").put("body", i));
      }
      for (int i = 1; i <= count; i++) {
        String ref = "r" + i;
        assertEquals("sent", sender.await(f -> ref.equals(f.getValue("ref"))).getString("type"));
      }
      for (WsClient s : sessions) {
        List<JsonObject> got = s.messages("user:ur-dora", count);
        long seq = got.get(0).getLong("seq");
        for (int i = 0; i < count; i++) {
          assertEquals(seq + i, got.get(i).getLong("seq"), "out of order or missing: " + got.get(i));
          assertEquals(i + 1, got.get(i).getInteger("body"));
        }
        assertTrue(s.drain().stream().noneMatch(f -> "message".equals(f.getString("type"))), "a message came twice");
      }
    } finally {
      sessions.forEach(WsClient::close);
    }
  }

  @Test
  void theCounterOfFailedLookupsIsExported() {
    // documented in docs/operations.md; zero while the cluster is healthy
    assertTrue(cluster.node(0).http().get("/metrics").body().contains("switchboard_route_lookups_failed_total 0.0"),
        "the counter of failed route lookups is not exported");
  }

  static HazelcastInstance hazelcast(TestNode node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }
}
