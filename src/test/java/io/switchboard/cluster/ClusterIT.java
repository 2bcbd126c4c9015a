package io.switchboard.cluster;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.NodeProcess;
import io.switchboard.support.RedisServer;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four nodes as separate processes ({@code java -jar target/switchboard.jar -cluster}) on one real
 * Redis: what operators run. One node is killed (SIGKILL) while messages flow, another drained
 * (SIGTERM); clients resume on the others with nothing lost and nothing twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  static final String KEY = "cluster-it-api-key-0123456789";
  static final int FAILURE_TIMEOUT_MS = 5_000;
  /** Documented bound on a dead node's users going offline: failure timeout plus one cleanup. */
  static final int OFFLINE_BOUND_MS = FAILURE_TIMEOUT_MS + 5_000;

  static RedisServer redis;
  static final List<NodeProcess> nodes = new ArrayList<>();
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.withAof(RedisServer.Fsync.EVERYSEC).start();
    Map<String, String> env = NodeProcess.clusterEnv("cluster-it", redis.url(), KEY, FAILURE_TIMEOUT_MS);
    env.put("SB_DRAIN_MS", "2000");
    env.put("SB_RATE_PER_SECOND", "5000");
    env.put("SB_RATE_BURST", "5000");
    // the first node forms the cluster; the others join it
    nodes.add(NodeProcess.start("it-a", List.of("-cluster"), env).awaitReady());
    for (String name : List.of("it-b", "it-c", "it-d")) {
      nodes.add(NodeProcess.start(name, List.of("-cluster"), env));
    }
    for (NodeProcess n : nodes) {
      n.awaitReady();
    }
    RedisServer.await("4 nodes in the cluster", 60_000, () -> listedNodes(nodes.get(0)) == 4);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess n : nodes) {
      n.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static WsClient connect(NodeProcess node) {
    return WsClient.connect(vertx, node.port(), "/ws", Map.of(), 1 << 20);
  }

  static WsClient login(NodeProcess node, String user, String device, JsonObject resume) {
    String token = Tokens.user(user).sign();
    WsClient c = connect(node);
    c.hello(token, device, resume);
    return c;
  }

  @Test
  @Order(1)
  void aDirectMessageCrossesProcessesAndTheApiNeedsItsKey() throws Exception {
    try (WsClient alice = login(nodes.get(0), "it-alice", null, null); WsClient bob = login(nodes.get(2), "it-bob", null, null)) {
      alice.sendTo("user:it-bob", "from process a", null);
      assertEquals("from process a", bob.messages("user:it-bob", 1).get(0).getString("body"));

      HttpRequest send = HttpRequest.newBuilder(nodes.get(1).uri("/api/v1/streams/user:it-bob/messages"))
          .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"from the api on b\"}")).build();
      assertEquals(200, nodes.get(1).send(send).statusCode());
      assertEquals("from the api on b", bob.messages("user:it-bob", 1).get(0).getString("body"));

      HttpRequest noKey = HttpRequest.newBuilder(nodes.get(1).uri("/api/v1/nodes")).GET().build();
      assertEquals(401, nodes.get(1).send(noKey).statusCode());
      HttpRequest wrongKey = HttpRequest.newBuilder(nodes.get(1).uri("/api/v1/nodes")).header("X-API-Key", "wrong").GET().build();
      assertEquals(401, nodes.get(1).send(wrongKey).statusCode());
    }
  }

  @Test
  @Order(2)
  void aKilledNodesClientsResumeElsewhereWithNothingLostOrTwiceAndItsUsersGoOffline() throws Exception {
    NodeProcess a = nodes.get(0);
    NodeProcess b = nodes.get(1);
    NodeProcess doomed = nodes.get(3);
    try (WsClient alice = login(a, "kill-alice", null, null); WsClient carol = login(b, "kill-carol", null, null)) {
      carol.join("kill-room");
      WsClient dave = login(doomed, "kill-dave", null, null);
      dave.join("kill-room");
      assertEquals("online", carol.await(f -> "presence".equals(f.getString("type"))).getString("state"));
      WsClient bob = login(doomed, "kill-bob", "phone", null);

      Traffic traffic = Traffic.start(alice, "user:kill-bob");
      List<Long> seqs = receive(bob, "user:kill-bob", 100);

      long killedAt = System.currentTimeMillis();
      doomed.kill();
      bob.awaitClose();
      try (WsClient again = login(b, "kill-bob", "phone", new JsonObject().put("user:kill-bob", seqs.get(seqs.size() - 1)))) {
        seqs.addAll(receive(again, "user:kill-bob", 50));
        traffic.stop();
        while (seqs.get(seqs.size() - 1) < traffic.lastAcknowledged()) {
          seqs.add(again.messages("user:kill-bob", 1).get(0).getLong("seq"));
        }
      }
      assertContiguous(seqs, traffic.lastAcknowledged());

      JsonObject offline = carol.await(f -> "presence".equals(f.getString("type")) && "kill-dave".equals(f.getString("user")));
      long tookMs = System.currentTimeMillis() - killedAt;
      assertEquals("offline", offline.getString("state"));
      assertTrue(tookMs <= OFFLINE_BOUND_MS, "offline reported " + tookMs + " ms after the kill");
      System.out.printf("kill -9: %d messages, every one delivered once in order; offline reported after %d ms (bound %d ms)%n",
          seqs.size(), tookMs, OFFLINE_BOUND_MS);
    }
  }

  @Test
  @Order(3)
  void aNodeStoppedWithSigtermDrainsItsClientsToTheOthersWithNothingLost() throws Exception {
    NodeProcess a = nodes.get(0);
    NodeProcess drained = nodes.get(2);
    try (WsClient alice = login(a, "term-alice", null, null)) {
      WsClient bob = login(drained, "term-bob", "phone", null);
      Traffic traffic = Traffic.start(alice, "user:term-bob");
      List<Long> seqs = receive(bob, "user:term-bob", 100);

      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
        try {
          return drained.stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      while (true) {
        JsonObject f = bob.await(x -> "message".equals(x.getString("type")) || "reconnect".equals(x.getString("type")));
        if ("reconnect".equals(f.getString("type"))) {
          break;
        }
        seqs.add(f.getLong("seq"));
      }
      assertEquals(CloseCode.SERVICE_RESTART.code(), bob.awaitClose());
      try (WsClient again = login(a, "term-bob", "phone", new JsonObject().put("user:term-bob", seqs.get(seqs.size() - 1)))) {
        seqs.addAll(receive(again, "user:term-bob", 50));
        traffic.stop();
        while (seqs.get(seqs.size() - 1) < traffic.lastAcknowledged()) {
          seqs.add(again.messages("user:term-bob", 1).get(0).getLong("seq"));
        }
      }
      assertContiguous(seqs, traffic.lastAcknowledged());
      assertEquals(0, exit.get(), "the drained node exits cleanly");
      System.out.printf("SIGTERM drain: %d messages, every one delivered once in order%n", seqs.size());
    }
  }

  /** The next {@code n} seqs of a stream. */
  static List<Long> receive(WsClient c, String stream, int n) {
    List<Long> seqs = new ArrayList<>();
    for (JsonObject m : c.messages(stream, n)) {
      seqs.add(m.getLong("seq"));
    }
    return seqs;
  }

  static void assertContiguous(List<Long> seqs, long last) {
    for (int i = 0; i < seqs.size(); i++) {
      assertEquals(i + 1, seqs.get(i), "seq " + (i + 1) + " lost or delivered twice");
    }
    assertEquals(last, seqs.size(), "every acknowledged message arrived");
  }

  static int listedNodes(NodeProcess via) {
    try {
      HttpRequest r = HttpRequest.newBuilder(via.uri("/api/v1/nodes")).header("X-API-Key", KEY).GET().build();
      return new JsonObject(via.send(r).body()).getJsonArray("nodes", new JsonArray()).size();
    } catch (Exception e) {
      return -1;
    }
  }

  /** A sender that keeps sending to a stream, each send waiting for its answer, until stopped. */
  static final class Traffic {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong last = new AtomicLong();
    private CompletableFuture<Void> running;

    static Traffic start(WsClient sender, String stream) {
      Traffic t = new Traffic();
      t.running = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 50_000 && !t.stop.get(); i++) {
          JsonObject answer = sender.sendTo(stream, i, "t-" + stream + "-" + i);
          if ("sent".equals(answer.getString("type"))) {
            t.last.set(answer.getLong("seq"));
          }
        }
      });
      return t;
    }

    void stop() throws Exception {
      stop.set(true);
      running.get();
    }

    long lastAcknowledged() {
      return last.get();
    }
  }
}
