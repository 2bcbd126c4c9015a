package io.switchboard.cluster;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.Http;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterApiTest {

  static final String KEY = "cluster-api-key-0123456789abcdef";
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(KEY))));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Http.Response api(TestNode node, HttpMethod method, String path, JsonObject body) {
    return node.http().call(method, "/api/v1" + path, Map.of("Authorization", "Bearer " + KEY), body == null ? null : body.encode());
  }

  @Test
  void anApiSendOnOneNodeReachesAUserOnAnother() {
    try (WsClient bob = cluster.node(2).login("capi-bob")) {
      Http.Response r = api(cluster.node(0), HttpMethod.POST, "/streams/user:capi-bob/messages", new JsonObject().put("body", "hi"));
      assertEquals(200, r.status(), r.body());
      assertEquals("hi", bob.messages("user:capi-bob", 1).get(0).getString("body"));
    }
  }

  @Test
  void disconnectReachesTheUsersSessionsOnEveryNode() {
    try (WsClient onB = cluster.node(1).login("capi-kick"); WsClient onC = cluster.node(2).login("capi-kick")) {
      assertEquals(202, api(cluster.node(0), HttpMethod.POST, "/users/capi-kick/disconnect", null).status());
      for (WsClient c : List.of(onB, onC)) {
        assertEquals(CloseCode.FORBIDDEN.code(), c.awaitClose());
      }
    }
  }

  @Test
  void membershipAndPresenceAreClusterWide() {
    try (WsClient bob = cluster.node(1).login("capi-pbob")) {
      api(cluster.node(0), HttpMethod.PUT, "/rooms/capi-room/members/capi-pbob", null);
      bob.awaitType("joined");
      JsonObject presence = api(cluster.node(2), HttpMethod.GET, "/rooms/capi-room/presence", null).json();
      assertEquals(new JsonArray().add("capi-pbob"), presence.getJsonArray("online"));
      assertEquals(1, api(cluster.node(2), HttpMethod.GET, "/users/capi-pbob/presence", null).json().getInteger("sessions"));
    }
  }

  @Test
  void everyNodeIsListedWithItsConnections() {
    List<WsClient> clients = List.of(cluster.node(0).login("capi-n1"), cluster.node(0).login("capi-n2"), cluster.node(1).login("capi-n3"));
    try {
      long deadline = System.currentTimeMillis() + 15_000;
      JsonArray nodes = new JsonArray();
      while (System.currentTimeMillis() < deadline) {
        nodes = api(cluster.node(2), HttpMethod.GET, "/nodes", null).json().getJsonArray("nodes");
        int counted = nodes.stream().mapToInt(n -> ((JsonObject) n).getInteger("connections")).sum();
        if (nodes.size() == 3 && counted >= 3) {
          break;
        }
        waitFor(cluster.node(2), 200);
      }
      assertEquals(3, nodes.size(), nodes.encode());
      assertTrue(nodes.stream().mapToInt(n -> ((JsonObject) n).getInteger("connections")).sum() >= 3, nodes.encode());
    } finally {
      clients.forEach(WsClient::close);
    }
  }

  /** Polling pace: a timer on the node's own event loop, so the wait is bounded and observable. */
  static void waitFor(TestNode node, long ms) {
    io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
    node.vertx().setTimer(ms, t -> p.complete());
    p.future().await();
  }
}
