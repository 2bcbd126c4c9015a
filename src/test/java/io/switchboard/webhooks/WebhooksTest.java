package io.switchboard.webhooks;

import io.switchboard.support.Http;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WebhookReceiver;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks of a standalone node (in-memory store and queue) to a real HTTP receiver that checks the
 * signatures with the documented recipe. The Redis queue, and a node killed with its events, are
 * WebhooksFailoverIT's.
 */
class WebhooksTest {

  static final String API_KEY = "webhooks-test-api-key-0123456789";
  static final String OLD_SECRET = "the-secret-the-backend-is-moving-away-from";
  static final String NEW_SECRET = "the-secret-the-backend-now-checks-with-0001";

  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  private <T extends AutoCloseable> T open(T c) {
    opened.add(c);
    return c;
  }

  /** A node sending to the receiver, fast retries, message.stored for rooms; {@code webhooks} overrides. */
  static JsonObject config(WebhookReceiver receiver, JsonObject webhooks) {
    return new JsonObject()
        .put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY)))
        // during a rotation the node signs with both; the receiver only knows the new one
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(OLD_SECRET).add(NEW_SECRET)))
        .put("webhooks", new JsonObject().put("url", receiver.url()).put("maxWaitMs", 50).put("backoffMinMs", 10)
            .put("backoffMaxMs", 100).put("storedStreams", new JsonArray().add("room:*")).put("previewChars", 10)
            .mergeIn(webhooks));
  }

  private static Http.Response api(TestNode node, HttpMethod method, String path, String body) {
    return node.http().call(method, "/api/v1" + path, Map.of("Authorization", "Bearer " + API_KEY,
        "Content-Type", "application/json"), body);
  }

  /** A node whose receiver answers 503, after {@code count} messages to room:archive (message.stored only). */
  private TestNode messagesToADownReceiver(WebhookReceiver receiver, JsonObject webhooks, int count) {
    receiver.answer(503);
    TestNode node = open(TestNode.start(config(receiver, webhooks.put("events", new JsonArray().add("message.stored")))));
    WsClient alice = open(node.login("alice"));
    alice.join("archive");
    for (int i = 1; i <= count; i++) {
      alice.sendTo("room:archive", "n" + i, "m-" + i);
    }
    return node;
  }

  private static JsonArray deadLetters(TestNode node) {
    return api(node, HttpMethod.GET, "/webhooks/dead-letters", null).json().getJsonArray("deadLetters");
  }

  private static boolean is(JsonObject e, String type, String key, String value) {
    return type.equals(e.getString("type")) && e.getJsonObject("data") != null
        && value.equals(e.getJsonObject("data").getString(key));
  }

  @Test
  void presenceRoomAndUndeliveredEventsAreSignedAndCarryWhatTheDocsSay() {
    WebhookReceiver receiver = open(new WebhookReceiver(NEW_SECRET));
    TestNode node = open(TestNode.start(config(receiver, new JsonObject())));

    WsClient alice = open(node.login("alice"));
    JsonObject online = receiver.await("alice online", e -> is(e, "presence.online", "user", "alice"));
    assertTrue(online.getString("id").startsWith("evt_"));
    assertTrue(Math.abs(online.getLong("time") - System.currentTimeMillis()) < 60_000);

    alice.join("lobby");
    JsonObject joined = receiver.await("alice joined", e -> is(e, "room.joined", "user", "alice"));
    assertEquals("room:lobby", joined.getString("stream"));
    assertEquals("lobby", joined.getJsonObject("data").getString("room"));

    // bob has never connected: the message is a push-notification trigger
    JsonObject sent = alice.sendTo("user:bob", new JsonObject().put("text", "hello bob, are you there?"), "m-1");
    JsonObject undelivered = receiver.await("undelivered to bob", e -> is(e, "message.undelivered", "user", "bob"));
    assertEquals("user:bob", undelivered.getString("stream"));
    assertEquals(1L, undelivered.getLong("seq"));
    assertEquals(sent.getString("epoch"), undelivered.getString("epoch"));
    JsonObject data = undelivered.getJsonObject("data");
    assertEquals("alice", data.getString("from"));
    assertEquals("m-1", data.getString("messageId"));
    assertEquals("hello bob,", data.getString("preview"), "the body's text, cut at webhooks.previewChars");
    assertFalse(data.containsKey("body"), "the body only with webhooks.includeBody");

    // online, bob gets it live: no event; offline again, the next one is an event
    WsClient bob = node.login("bob");
    receiver.await("bob online", e -> is(e, "presence.online", "user", "bob"));
    alice.sendTo("user:bob", "while you are here", "m-2");
    bob.close();
    receiver.await("bob offline", e -> is(e, "presence.offline", "user", "bob"));
    alice.sendTo("user:bob", "gone again", "m-3");
    receiver.await("m-3 undelivered", e -> is(e, "message.undelivered", "messageId", "m-3"));
    assertFalse(receiver.accepted().stream().anyMatch(e -> is(e, "message.undelivered", "messageId", "m-2")),
        "no push for a message its user was online for");

    alice.sendTo("room:lobby", new JsonObject().put("text", "hi all"), "m-4");
    JsonObject stored = receiver.await("stored in the room", e -> is(e, "message.stored", "messageId", "m-4"));
    assertEquals(new JsonObject().put("text", "hi all"), stored.getJsonObject("data").getJsonObject("body"));
    assertEquals("room:lobby", stored.getString("stream"));
    assertEquals(1L, stored.getLong("seq"));

    alice.leave("lobby");
    receiver.await("alice left", e -> is(e, "room.left", "user", "alice"));

    assertTrue(receiver.requests().stream().allMatch(WebhookReceiver.Request::signed),
        "every request carries a signature the backend's new secret verifies");
    assertFalse(receiver.accepted().stream().anyMatch(e -> "message.stored".equals(e.getString("type"))
        && e.getString("stream").startsWith("user:")), "message.stored only for webhooks.storedStreams");
    assertEquals(receiver.accepted().size(), receiver.accepted().stream().map(e -> e.getString("id")).distinct().count(),
        "one id per event");
  }

  @Test
  void devicesThatDidNotAckInTimeAreNamedWhileTheirUserIsOnlineOnAnother() {
    WebhookReceiver receiver = open(new WebhookReceiver(NEW_SECRET));
    TestNode node = open(TestNode.start(config(receiver, new JsonObject().put("ackTimeoutMs", 3_000)
        .put("events", new JsonArray().add("message.undelivered").add("presence.offline")))));
    WsClient alice = open(node.login("alice"));
    alice.sendTo("user:bob", "first", "m-0");
    // bob's tablet connects once, acks, and goes away: the node keeps its cursor
    WsClient tablet = node.connect();
    tablet.hello(Tokens.user("bob").sign(), "tablet", null);
    tablet.send(new JsonObject().put("type", "ack").put("stream", "user:bob").put("seq", 1));
    await("the tablet's cursor", () -> node.services().store().devices("bob").await().contains("tablet"));
    tablet.close();
    receiver.await("bob offline", e -> is(e, "presence.offline", "user", "bob"));

    WsClient phone = open(node.connect());
    phone.hello(Tokens.user("bob").sign(), "phone", null);
    long seq = alice.sendTo("user:bob", "are you there?", "m-1").getLong("seq");
    phone.await(f -> "message".equals(f.getString("type")) && "m-1".equals(f.getString("id")));
    phone.send(new JsonObject().put("type", "ack").put("stream", "user:bob").put("seq", seq));
    JsonObject unacked = receiver.await("m-1 not acked by the tablet", e -> is(e, "message.undelivered", "messageId", "m-1"))
        .getJsonObject("data");
    assertEquals("unacked", unacked.getString("reason"));
    assertEquals(new JsonArray().add("tablet"), unacked.getJsonArray("devices"), "the phone acked it in time");

    phone.close();
    await("bob offline again", () -> receiver.accepted().stream().filter(e -> is(e, "presence.offline", "user", "bob"))
        .count() == 2);
    alice.sendTo("user:bob", "see you", "m-2");
    JsonObject offline = receiver.await("m-2 to nobody online", e -> is(e, "message.undelivered", "messageId", "m-2"))
        .getJsonObject("data");
    assertEquals("offline", offline.getString("reason"));
    assertEquals(Set.of("phone", "tablet"), Set.copyOf(offline.getJsonArray("devices").getList()));
    assertEquals("offline", receiver.await("m-0", e -> is(e, "message.undelivered", "messageId", "m-0"))
        .getJsonObject("data").getString("reason"));
  }

  @Test
  void aReceiverFailingAndRecoveringGetsEveryEventInOrderPerStreamInBatchesOfAtMostN() {
    WebhookReceiver receiver = open(new WebhookReceiver(NEW_SECRET));
    receiver.answer(500);
    TestNode node = open(TestNode.start(config(receiver, new JsonObject().put("batchSize", 5)
        .put("events", new JsonArray().add("message.stored")))));
    WsClient alice = open(node.login("alice"));
    alice.join("even");
    alice.join("odd");
    for (int i = 1; i <= 12; i++) {
      alice.sendTo(i % 2 == 0 ? "room:even" : "room:odd", i, "m-" + i);
    }
    await("three refused POSTs", () -> receiver.requests().size() >= 3);
    receiver.answer(200);
    receiver.awaitAccepted("the 12 messages", 12);

    List<JsonObject> accepted = receiver.accepted();
    Map<String, String> idOf = new HashMap<>();
    Map<String, Long> lastSeq = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (JsonObject e : accepted) {
      String key = e.getString("stream") + "#" + e.getLong("seq");
      assertEquals(idOf.computeIfAbsent(key, k -> e.getString("id")), e.getString("id"), "an event keeps its id when sent again");
      if (seen.add(e.getString("id"))) {
        long before = lastSeq.getOrDefault(e.getString("stream"), 0L);
        assertEquals(before + 1, e.getLong("seq"), "first deliveries of " + e.getString("stream") + " in seq order");
        lastSeq.put(e.getString("stream"), e.getLong("seq"));
      }
    }
    assertEquals(12, idOf.size());
    assertTrue(receiver.requests().stream().allMatch(r -> r.events().size() <= 5), "at most webhooks.batchSize per POST");
    assertTrue(receiver.requests().stream().filter(r -> r.status() == 500).allMatch(r -> r.events().size() > 0));
    String metrics = node.http().get("/metrics").body();
    assertTrue(counter(metrics, "switchboard_webhooks_retried_total") > 0, "retries counted");
    assertTrue(counter(metrics, "switchboard_webhooks_delivered_total") >= 12);
    assertEquals(12.0, counter(metrics, "switchboard_webhooks_queued_total"));
    assertTrue(metrics.contains("switchboard_webhooks_delivery_latency_seconds_bucket"), "latency histogram");
  }

  @Test
  void eventsThatOutliveTheirRetriesAreDeadLettersTheApiListsAndReplays() {
    WebhookReceiver receiver = open(new WebhookReceiver(NEW_SECRET));
    TestNode node = messagesToADownReceiver(receiver, new JsonObject().put("retryForMs", 200), 3);
    await("three dead letters", () -> deadLetters(node).size() == 3);
    JsonObject page = api(node, HttpMethod.GET, "/webhooks/dead-letters?limit=2", null).json();
    assertEquals(2, page.getJsonArray("deadLetters").size());
    JsonObject first = page.getJsonArray("deadLetters").getJsonObject(0);
    assertEquals("retries_exhausted", first.getString("reason"));
    assertEquals("m-1", first.getJsonObject("event").getJsonObject("data").getString("messageId"));
    JsonObject rest = api(node, HttpMethod.GET, "/webhooks/dead-letters?limit=2&after=" + page.getString("next"), null).json();
    assertEquals(1, rest.getJsonArray("deadLetters").size());
    assertEquals(null, rest.getValue("next"));

    assertEquals(400, api(node, HttpMethod.POST, "/webhooks/dead-letters/replay", "{\"ids\":\"all\"}").status());
    assertEquals(400, api(node, HttpMethod.GET, "/webhooks/dead-letters?after=x", null).status());
    assertEquals(401, node.http().get("/api/v1/webhooks/dead-letters").status());

    receiver.answer(200);
    JsonObject replayed = api(node, HttpMethod.POST, "/webhooks/dead-letters/replay", "{\"all\":true}").json();
    assertEquals(3, replayed.getInteger("replayed"));
    assertEquals(0, replayed.getInteger("remaining"));
    receiver.awaitAccepted("the replayed events", 3);
    assertEquals(first.getJsonObject("event").getString("id"), receiver.accepted().get(0).getString("id"),
        "a replayed event keeps its id");
    assertTrue(counter(node.http().get("/metrics").body(), "switchboard_webhooks_dead_lettered_total{reason=\"retries_exhausted\"}") >= 3);
  }

  @Test
  void aFullQueueMovesItsOldestEventsToTheDeadLetters() {
    WebhookReceiver receiver = open(new WebhookReceiver(NEW_SECRET));
    TestNode node = messagesToADownReceiver(receiver, new JsonObject().put("queueCap", 2), 5);
    await("three dead letters", () -> deadLetters(node).size() == 3);
    JsonArray dead = deadLetters(node);
    assertEquals("queue_full", dead.getJsonObject(0).getString("reason"));
    assertEquals(1L, dead.getJsonObject(0).getJsonObject("event").getLong("seq"), "the oldest go first");
    assertTrue(counter(node.http().get("/metrics").body(), "switchboard_webhooks_dead_lettered_total{reason=\"queue_full\"}") >= 3);
  }

  @Test
  void withoutWebhooksTheDeadLetterApiSaysSo() {
    TestNode node = open(TestNode.start(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY)))));
    Http.Response r = api(node, HttpMethod.GET, "/webhooks/dead-letters", null);
    assertEquals(404, r.status());
    assertTrue(r.json().getString("message").contains("webhooks.url"));
  }

  private static void await(String what, BooleanSupplier condition) {
    RedisServer.await(what, WsClient.WAIT.toMillis(), condition);
  }

  /** A sample's value in Prometheus text; 0 when absent. */
  static double counter(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(exposition);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
      found = true;
    }
    assertNotNull(exposition);
    return found ? sum : 0;
  }
}
