package io.switchboard.cluster;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.Http;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DrainTest {

  static final String KEY = "drain-api-key-0123456789abcdef";

  @Test
  void aDrainedNodesClientsResumeElsewhereWithNothingLostOrDuplicated() throws Exception {
    JsonObject config = new JsonObject()
        .put("api", new JsonObject().put("keys", new JsonArray().add(KEY)))
        .put("cluster", new JsonObject().put("drainMs", 1500))
        // far above what one sequential sender reaches on a warm JVM: a rate_limited answer would end
        // the traffic this test watches for
        .put("limits", new JsonObject().put("messagesPerSecond", 1_000_000).put("messagesBurst", 1_000_000));
    try (TestCluster cluster = TestCluster.start(3, config)) {
      TestNode a = cluster.node(0);
      TestNode b = cluster.node(1);
      TestNode c = cluster.node(2);
      String token = Tokens.user("dr-bob").sign();
      WsClient bobOnB = b.connect();
      bobOnB.hello(token, "phone", null);
      WsClient alice = a.login("dr-alice");

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong lastSent = new AtomicLong();
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        // bounded by time and count, not by a count alone: a warm JVM sends tens of thousands a second,
        // and the traffic must outlast the drain and the resume on C
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int i = 0; i < 2_000_000 && !stop.get() && System.nanoTime() < until; i++) {
          JsonObject answer = alice.sendTo("user:dr-bob", i, null);
          if (!"sent".equals(answer.getString("type"))) {
            throw new AssertionError("send " + i + " refused: " + answer.encode());
          }
          lastSent.set(answer.getLong("seq"));
        }
      });

      List<Long> seqs = new ArrayList<>();
      while (seqs.size() < 50) {
        seqs.add(bobOnB.messages("user:dr-bob", 1).get(0).getLong("seq"));
      }
      String nodeB = bobOnB.welcome().getString("node");
      Http.Response drain = a.http().call(HttpMethod.POST, "/api/v1/nodes/" + nodeId(a, nodeB) + "/drain",
          Map.of("Authorization", "Bearer " + KEY), null);
      assertEquals(202, drain.status(), drain.body());

      // until B closes the connection, keep reading: the reconnect hint comes just before the close
      while (true) {
        JsonObject f = bobOnB.await(x -> "message".equals(x.getString("type")) || "reconnect".equals(x.getString("type")));
        if ("reconnect".equals(f.getString("type"))) {
          break;
        }
        seqs.add(f.getLong("seq"));
      }
      assertEquals(CloseCode.SERVICE_RESTART.code(), bobOnB.awaitClose());

      try (WsClient bobOnC = c.connect()) {
        bobOnC.hello(token, "phone", new JsonObject().put("user:dr-bob", seqs.get(seqs.size() - 1)));
        bobOnC.await(f -> "resumed".equals(f.getString("type")) && "user:dr-bob".equals(f.getString("stream")));
        int liveAfterResume = 0;
        while (liveAfterResume < 20) {
          seqs.add(nextSeq(bobOnC, sender));
          liveAfterResume++;
        }
        stop.set(true);
        sender.get();
        while (seqs.get(seqs.size() - 1) < lastSent.get()) {
          seqs.add(bobOnC.messages("user:dr-bob", 1).get(0).getLong("seq"));
        }
      }
      for (int i = 0; i < seqs.size(); i++) {
        assertEquals(i + 1, seqs.get(i), "seq " + (i + 1) + " lost or duplicated");
      }
      assertEquals(lastSent.get(), seqs.size());

      // the drained node left the cluster: the others list two nodes
      long deadline = System.currentTimeMillis() + 30_000;
      int listed = 3;
      while (listed != 2 && System.currentTimeMillis() < deadline) {
        listed = a.http().call(HttpMethod.GET, "/api/v1/nodes", Map.of("Authorization", "Bearer " + KEY), null)
            .json().getJsonArray("nodes").size();
        ClusterApiTest.waitFor(a, 200);
      }
      assertEquals(2, listed);
      alice.close();
    }
  }

  /** The next message of bob's stream; if none comes because the sender stopped, the sender's reason. */
  private static long nextSeq(WsClient bob, CompletableFuture<Void> sender) {
    try {
      return bob.messages("user:dr-bob", 1).get(0).getLong("seq");
    } catch (AssertionError silent) {
      if (sender.isCompletedExceptionally()) {
        AssertionError stopped = new AssertionError("no live message after resume: the sender stopped");
        sender.handle((v, e) -> stopped.initCause(e));
        throw stopped;
      }
      throw silent;
    }
  }

  /** The id to drain by: the node list maps names (in welcome) to cluster ids. */
  private static String nodeId(TestNode via, String name) {
    JsonArray nodes = via.http().call(HttpMethod.GET, "/api/v1/nodes", Map.of("Authorization", "Bearer " + KEY), null)
        .json().getJsonArray("nodes");
    for (Object n : nodes) {
      if (name.equals(((JsonObject) n).getString("name"))) {
        return ((JsonObject) n).getString("id");
      }
    }
    throw new AssertionError("node " + name + " not listed: " + nodes);
  }

}
