package io.switchboard.store.redis;

import io.switchboard.support.Http;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clustered nodes on a real redis-server: what survives restarts, and what a Redis outage does. */
class RedisNodeTest {

  static final JsonObject FAST = new JsonObject().put("limits", new JsonObject().put("messagesPerSecond", 1_000_000).put("messagesBurst", 1_000_000));

  @Test
  void offlineBacklogsOfAUserAndARoomSurviveAFullRestartOfEveryNode() {
    try (RedisServer redis = RedisServer.withAof(RedisServer.Fsync.ALWAYS).start();
         TestCluster cluster = TestCluster.onRedis(2, redis, FAST)) {
      String bobToken = Tokens.user("rb-bob").sign();
      WsClient bob = cluster.node(0).connect();
      bob.hello(bobToken, "phone", null);
      // bob acks nothing: the device's start in the room is what the node recorded at the join
      bob.join("rb-room");
      bob.close();

      try (WsClient alice = cluster.node(1).login("rb-alice")) {
        alice.join("rb-room");
        for (int i = 1; i <= 10; i++) {
          assertEquals("sent", alice.sendTo("user:rb-bob", "dm " + i, null).getString("type"));
          assertEquals("sent", alice.sendTo("room:rb-room", "room " + i, null).getString("type"));
        }
      }

      cluster.restartAll();

      try (WsClient back = cluster.node(1).connect()) {
        // the DM position comes from the client, the room's from the device's cursor in Redis
        JsonObject welcome = back.hello(bobToken, "phone", new JsonObject().put("user:rb-bob", 0));
        assertTrue(welcome.getJsonObject("streams").containsKey("room:rb-room"), "membership survived");
        List<JsonObject> dms = back.messages("user:rb-bob", 10);
        List<JsonObject> room = back.messages("room:rb-room", 10);
        for (int i = 0; i < 10; i++) {
          assertEquals("dm " + (i + 1), dms.get(i).getString("body"));
          assertEquals("room " + (i + 1), room.get(i).getString("body"));
        }
      }
    }
  }

  @Test
  void stoppingEveryNodeAndRedisWithAofLosesNoAcknowledgedMessage() {
    try (RedisServer redis = RedisServer.withAof(RedisServer.Fsync.ALWAYS).start();
         TestCluster cluster = TestCluster.onRedis(2, redis, FAST)) {
      List<Long> acknowledged = new ArrayList<>();
      try (WsClient alice = cluster.node(0).login("aof-alice")) {
        for (int i = 0; i < 50; i++) {
          acknowledged.add(alice.sendTo("user:aof-bob", i, "aof-" + i).getLong("seq"));
        }
      }
      cluster.close();
      redis.stop();
      redis.start();
      cluster.restartAll();
      try (WsClient bob = cluster.node(0).connect()) {
        bob.hello(Tokens.user("aof-bob").sign(), null, new JsonObject().put("user:aof-bob", 0));
        List<JsonObject> got = bob.messages("user:aof-bob", 50);
        for (int i = 0; i < 50; i++) {
          assertEquals(acknowledged.get(i), got.get(i).getLong("seq"));
          assertEquals(i, got.get(i).getInteger("body"));
        }
        // seqs continue where they were
        try (WsClient alice = cluster.node(1).login("aof-alice")) {
          assertEquals(51L, alice.sendTo("user:aof-bob", "after", null).getLong("seq"));
        }
      }
    }
  }

  @Test
  void whileRedisIsDownSendsAreRefusedNothingAcknowledgedIsLostAndServiceComesBackByItself() throws Exception {
    try (RedisServer redis = RedisServer.withAof(RedisServer.Fsync.ALWAYS).start();
         TestCluster cluster = TestCluster.onRedis(2, redis, FAST)) {
      TestNode a = cluster.node(0);
      WsClient bob = cluster.node(1).login("out-bob");
      WsClient alice = a.login("out-alice");

      List<Long> acknowledged = new CopyOnWriteArrayList<>();
      AtomicInteger unavailable = new AtomicInteger();
      AtomicBoolean redisBack = new AtomicBoolean();
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        // until Redis was back and 20 more sends were acknowledged
        int afterBack = 0;
        for (int i = 0; i < 100_000 && afterBack < 20; i++) {
          JsonObject answer = alice.sendTo("user:out-bob", i, "out-" + i);
          if ("sent".equals(answer.getString("type"))) {
            acknowledged.add(answer.getLong("seq"));
            if (redisBack.get()) {
              afterBack++;
            }
          } else {
            assertEquals("unavailable", answer.getString("code"));
            unavailable.incrementAndGet();
          }
        }
      });

      awaitSize(acknowledged, 20);
      redis.stop();
      awaitStatus(a, 503);
      awaitTrue(() -> unavailable.get() > 0, "sends refused while Redis is down");
      assertFalse(bob.isClosed(), "connected sessions stay up");

      redis.start();
      redisBack.set(true);
      awaitStatus(a, 200);
      sender.get();

      // bob received every acknowledged message exactly once, in order, with nothing in between missing
      long last = acknowledged.get(acknowledged.size() - 1);
      List<Long> received = new ArrayList<>();
      while (received.isEmpty() || received.get(received.size() - 1) < last) {
        received.add(bob.messages("user:out-bob", 1).get(0).getLong("seq"));
      }
      for (int i = 0; i < received.size(); i++) {
        assertEquals(i + 1, received.get(i), "seq " + (i + 1) + " lost or duplicated");
      }
      Set<Long> got = new HashSet<>(received);
      assertTrue(got.containsAll(acknowledged), "an acknowledged message is missing");
      bob.close();
      alice.close();
    }
  }

  /** A frozen Redis accepts connections and never answers: not ready all the same, with 503 as balancers expect. */
  @Test
  void whileRedisIsFrozenTheNodeIsNotReadyWith503() {
    try (RedisServer redis = RedisServer.ephemeral().start();
         TestCluster cluster = TestCluster.onRedis(1, redis, FAST)) {
      TestNode node = cluster.node(0);
      awaitStatus(node, 200);
      redis.freeze();
      try {
        awaitTrue(() -> node.http().get("/health/ready").status() != 200, "/health/ready fails while Redis is frozen");
        Http.Response answer = node.http().get("/health/ready");
        assertEquals(503, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"store\"") && answer.body().contains("DOWN"), answer.body());
      } finally {
        redis.thaw();
      }
      awaitStatus(node, 200);
    }
  }

  @Test
  void retentionByCountAndByAgeGiveExactGaps() {
    JsonObject config = FAST.copy().put("retention", new JsonObject().put("maxMessages", 10).put("maxAgeSeconds", 2));
    try (RedisServer redis = RedisServer.ephemeral().start(); TestCluster cluster = TestCluster.onRedis(1, redis, config)) {
      TestNode node = cluster.node(0);
      try (WsClient alice = node.login("ret-alice")) {
        for (int i = 1; i <= 30; i++) {
          alice.sendTo("user:ret-bob", "m" + i, null);
        }
      }
      try (WsClient bob = node.connect()) {
        bob.hello(Tokens.user("ret-bob").sign(), null, new JsonObject().put("user:ret-bob", 0));
        assertEquals(new JsonObject().put("type", "gap").put("stream", "user:ret-bob").put("from", 1).put("to", 20),
            bob.await(f -> "gap".equals(f.getString("type")) && "user:ret-bob".equals(f.getString("stream"))));
        assertEquals(21L, bob.messages("user:ret-bob", 10).get(0).getLong("seq"));
      }
      // by age: once 2 s have passed, the whole log is gone and a resume from 0 is told so exactly
      awaitTrue(() -> historyFirstAvailable(node, "user:ret-bob") == 31, "entries expired by age");
      try (WsClient bob = node.connect()) {
        bob.hello(Tokens.user("ret-bob").sign(), null, new JsonObject().put("user:ret-bob", 0));
        assertEquals(new JsonObject().put("type", "gap").put("stream", "user:ret-bob").put("from", 1).put("to", 30),
            bob.await(f -> "gap".equals(f.getString("type")) && "user:ret-bob".equals(f.getString("stream"))));
      }
    }
  }

  @Test
  void anIdempotentRetryAcrossAReconnectToAnotherNodeAppendsOnce() {
    try (RedisServer redis = RedisServer.ephemeral().start(); TestCluster cluster = TestCluster.onRedis(2, redis, FAST);
         WsClient bob = cluster.node(1).login("idem-bob")) {
      String token = Tokens.user("idem-alice").sign();
      long seq;
      try (WsClient alice = cluster.node(0).connect()) {
        alice.hello(token, null, null);
        seq = alice.sendTo("user:idem-bob", "once", "pay-7").getLong("seq");
      }
      try (WsClient again = cluster.node(1).connect()) {
        again.hello(token, null, null);
        JsonObject retry = again.sendTo("user:idem-bob", "once", "pay-7");
        assertEquals(seq, retry.getLong("seq"));
        again.sendTo("user:idem-bob", "marker", null);
      }
      List<JsonObject> got = bob.messages("user:idem-bob", 2);
      assertEquals("once", got.get(0).getString("body"));
      assertEquals("marker", got.get(1).getString("body"), "the retry was delivered as a new message");
    }
  }

  /** -1 when the read failed: polled under a deadline, a read refused once (a connection reset on a loaded machine) is not the answer. */
  private static long historyFirstAvailable(TestNode node, String stream) {
    try {
      return node.services().store().read(stream, 1, 1).await().firstAvailable();
    } catch (RedisStoreException e) {
      return -1;
    }
  }

  private static void awaitStatus(TestNode node, int status) {
    awaitTrue(() -> node.http().get("/health/ready").status() == status, "/health/ready answers " + status);
  }

  private static void awaitSize(List<?> list, int size) {
    awaitTrue(() -> list.size() >= size, size + " acknowledged sends");
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    RedisServer.await(what, 30_000, condition);
  }
}
