package io.switchboard.webhooks;

import io.switchboard.support.NodeProcess;
import io.switchboard.support.RedisServer;
import io.switchboard.support.Tokens;
import io.switchboard.support.WebhookReceiver;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Durability across a crash: two node processes on one real Redis, and the node that holds the
 * webhook lease killed with SIGKILL.
 * <ul>
 *   <li>It queued events and could not deliver them (the receiver answers 500): the other node takes
 *   over its lease and delivers every one of them, in order, and then the offline of the user whose
 *   session died with the killed node.</li>
 *   <li>It stored messages and died before their events were queued: the other node queues them from
 *   the outbox and delivers them.</li>
 * </ul>
 */
class WebhooksFailoverIT {

  static final String KEY = "webhooks-it-api-key-0123456789";
  static final String SECRET = "webhooks-it-backend-secret-0123456789";
  static final int TAKEOVER_MS = 1_500;

  @Test
  void eventsLeftPendingByAKilledNodeAreDeliveredByAnother() throws Exception {
    try (RedisServer redis = RedisServer.ephemeral().start(); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
      receiver.answer(500);
      killTheDeliveringNode(redis, receiver);
    }
  }

  /**
   * The window between storing a message and queueing its events, held open: the queue's key is made
   * a plain string, so every attempt to queue fails with WRONGTYPE (an undelivered check also waits
   * {@code webhooks.undeliveredDelayMs}, 20 s). The node is killed inside it; only the outbox notes the
   * append script wrote with each message are left for the other node.
   */
  @Test
  void eventsOfMessagesStoredByAKilledNodeBeforeTheyWereQueuedAreDeliveredByAnother() throws Exception {
    try (RedisServer redis = RedisServer.ephemeral().start(); WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
      Map<String, String> env = env(redis, receiver);
      env.put("SB_WEBHOOKS_EVENTS", "message.stored,message.undelivered,room.joined,room.left");
      env.put("SB_WEBHOOKS_UNDELIVERED_DELAY_MS", "20000");
      try (NodeProcess a = NodeProcess.start("wh-a", List.of("-cluster"), env)) {
        a.awaitReady();
        try (NodeProcess b = NodeProcess.start("wh-b", List.of("-cluster"), env)) {
          b.awaitReady();
          RedisServer.await("a node holding the webhook lease", 30_000, () -> redis.call("GET", "sb:{webhooks}:lease") != null);
          NodeProcess leader = ((String) redis.call("GET", "sb:{webhooks}:lease")).startsWith("wh-a-") ? a : b;
          storeAndKillBeforeQueueing(redis, receiver, leader);
        }
      }
    }
  }

  private static void storeAndKillBeforeQueueing(RedisServer redis, WebhookReceiver receiver, NodeProcess leader)
      throws Exception {
    redis.call("DEL", "sb:{webhooks}:queue");
    redis.call("SET", "sb:{webhooks}:queue", "not a stream: queueing fails");
    for (int i = 1; i <= 3; i++) {
      assertEquals(200, post(leader, "room:orders", i).statusCode());
    }
    for (int i = 1; i <= 2; i++) {
      assertEquals(200, post(leader, "user:dave", i).statusCode());
    }
    assertEquals(200, member(leader, "PUT", "erin").statusCode());
    assertEquals(200, member(leader, "PUT", "frank").statusCode());
    assertEquals(200, member(leader, "DELETE", "frank").statusCode());
    assertEquals(8L, redis.call("XLEN", "sb:{webhooks}:outbox"), "each stored message and membership change noted");
    leader.kill();
    redis.call("DEL", "sb:{webhooks}:queue");

    receiver.awaitAccepted("the events of the 5 messages and 3 changes, queued and delivered by the other node", 8);
    Map<String, List<Long>> seqs = new TreeMap<>();
    Set<String> ids = new HashSet<>();
    List<String> changes = new ArrayList<>();
    receiver.accepted().forEach(e -> {
      if (!ids.add(e.getString("id"))) {
        return;
      }
      if (e.getString("type").startsWith("room.")) {
        changes.add(e.getString("type") + " " + e.getJsonObject("data").getString("room") + " " + e.getJsonObject("data").getString("user"));
      } else {
        seqs.computeIfAbsent(e.getString("type") + " " + e.getString("stream"), k -> new ArrayList<>()).add(e.getLong("seq"));
        if ("message.undelivered".equals(e.getString("type"))) {
          assertEquals("offline", e.getJsonObject("data").getString("reason"));
          assertEquals(String.valueOf(e.getLong("seq")), e.getJsonObject("data").getString("preview"), "the body read from the log");
        }
      }
    });
    seqs.values().forEach(Collections::sort);
    assertEquals(Map.of("message.stored room:orders", List.of(1L, 2L, 3L), "message.undelivered user:dave", List.of(1L, 2L)),
        seqs, "one event of each, by seq");
    Collections.sort(changes);
    assertEquals(List.of("room.joined orders erin", "room.joined orders frank", "room.left orders frank"), changes);
    RedisServer.await("every note settled", 30_000, () -> Long.valueOf(0).equals(redis.call("XLEN", "sb:{webhooks}:outbox")));
  }

  private static HttpResponse<String> post(NodeProcess node, String stream, int i) throws Exception {
    HttpRequest send = HttpRequest.newBuilder(node.uri("/api/v1/streams/" + stream + "/messages"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("body", i).put("id", "m-" + i).encode()))
        .timeout(Duration.ofSeconds(10)).build();
    return node.send(send);
  }

  private static HttpResponse<String> member(NodeProcess node, String method, String user) throws Exception {
    HttpRequest change = HttpRequest.newBuilder(node.uri("/api/v1/rooms/orders/members/" + user))
        .header("Authorization", "Bearer " + KEY).method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build();
    return node.send(change);
  }

  private static Map<String, String> env(RedisServer redis, WebhookReceiver receiver) {
    Map<String, String> env = NodeProcess.clusterEnv("webhooks-it", redis.url(), KEY, 5_000);
    env.put("SB_BACKEND_SECRETS", SECRET);
    env.put("SB_WEBHOOKS_URL", receiver.url());
    env.put("SB_WEBHOOKS_EVENTS", "message.stored,presence.online,presence.offline");
    env.put("SB_WEBHOOKS_STORED_STREAMS", "room:*");
    env.put("SB_WEBHOOKS_TAKEOVER_MS", String.valueOf(TAKEOVER_MS));
    env.put("SB_WEBHOOKS_MAX_WAIT_MS", "50");
    env.put("SB_WEBHOOKS_BACKOFF_MIN_MS", "50");
    env.put("SB_WEBHOOKS_BACKOFF_MAX_MS", "200");
    return env;
  }

  private static void killTheDeliveringNode(RedisServer redis, WebhookReceiver receiver) throws Exception {
    Map<String, String> env = env(redis, receiver);
    // the first node forms the cluster; the second joins it
    try (NodeProcess a = NodeProcess.start("wh-a", List.of("-cluster"), env)) {
      a.awaitReady();
      try (NodeProcess b = NodeProcess.start("wh-b", List.of("-cluster"), env)) {
        b.awaitReady();
        killTheLeaseHolder(redis, receiver, a, b);
      }
    }
  }

  private static void killTheLeaseHolder(RedisServer redis, WebhookReceiver receiver, NodeProcess a, NodeProcess b)
      throws Exception {
    RedisServer.await("a node holding the webhook lease", 30_000, () -> redis.call("GET", "sb:{webhooks}:lease") != null);
    String holder = (String) redis.call("GET", "sb:{webhooks}:lease");
    NodeProcess leader = holder.startsWith("wh-a-") ? a : b;
    NodeProcess survivor = leader == a ? b : a;

    Vertx vertx = Vertx.vertx();
    try {
      WsClient carol = WsClient.connect(vertx, leader.port(), "/ws", Map.of(), 1 << 20);
      carol.hello(Tokens.user("carol").sign(), null, null);
      sendAndKill(redis, receiver, leader, survivor);
    } finally {
      vertx.close().await();
    }
  }

  private static void sendAndKill(RedisServer redis, WebhookReceiver receiver, NodeProcess leader, NodeProcess survivor)
      throws Exception {
    for (int i = 1; i <= 10; i++) {
      assertEquals(200, post(leader, "room:orders", i).statusCode());
    }
    RedisServer.await("the leader trying to deliver", 30_000,
        () -> receiver.requests().stream().anyMatch(r -> r.status() == 500));
    RedisServer.await("carol's online and the 10 messages queued in Redis, not delivered", 30_000,
        () -> Long.valueOf(11).equals(redis.call("XLEN", "sb:{webhooks}:queue")));

    leader.kill();
    receiver.answer(200);
    receiver.awaitAccepted("the killed node's events, from the other node", 11);
    // carol's session went with the node: the survivor's presence sweep reports her offline
    receiver.await("carol offline", e -> "presence.offline".equals(e.getString("type")));

    List<Long> firstSeen = new ArrayList<>();
    List<String> presence = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    receiver.accepted().forEach(e -> {
      if (ids.add(e.getString("id"))) {
        if ("message.stored".equals(e.getString("type"))) {
          firstSeen.add(e.getLong("seq"));
        } else {
          presence.add(e.getString("type") + " " + e.getJsonObject("data").getString("user"));
        }
      }
    });
    assertEquals(List.of("presence.online carol", "presence.offline carol"), presence);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), firstSeen, "every event once at least, in seq order");
    RedisServer.await("the queue emptied by the survivor's acks", 30_000, () -> Long.valueOf(0).equals(redis.call("XLEN", "sb:{webhooks}:queue")));
    assertTrue(((String) redis.call("GET", "sb:{webhooks}:lease")).startsWith(survivor.name() + "-"), "the survivor delivers now");
  }
}
