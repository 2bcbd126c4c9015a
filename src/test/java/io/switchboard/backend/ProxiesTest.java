package io.switchboard.backend;

import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connect, join and publish proxies against a real HTTP backend (a Vert.x server of the test's
 * own) and real WebSocket clients: what the backend is sent and how it is signed, and what each of
 * its answers (allow, refuse, rewrite, fail, no answer) does to the client.
 */
class ProxiesTest {

  static final String SECRET = "backend-secret-0123456789abcdefghijklmn";
  static final String ORIGIN = "https://app.example";

  /** What the backend received: the path, the JSON, and whether the signature checked out. */
  record Call(String path, JsonObject body, boolean signed) {
  }

  final Vertx backendVertx = Vertx.vertx();
  final List<Call> calls = new CopyOnWriteArrayList<>();
  final Map<String, BiConsumer<HttpServerRequest, JsonObject>> answers = new ConcurrentHashMap<>();
  HttpServer backend;
  TestNode node;

  @BeforeEach
  void startBackend() {
    backend = backendVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
      boolean signed = Signature.verify(req.getHeader(Signature.HEADER), buf.getBytes(), SECRET,
          System.currentTimeMillis() / 1000, Signature.DEFAULT_TOLERANCE_SECONDS);
      JsonObject body = buf.toJsonObject();
      calls.add(new Call(req.path(), body, signed));
      BiConsumer<HttpServerRequest, JsonObject> answer = answers.get(req.path());
      if (answer == null) {
        req.response().setStatusCode(404).end();
      } else {
        answer.accept(req, body);
      }
    })).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    backendVertx.close().await();
  }

  void startNode(JsonObject proxy) {
    node = TestNode.start(new JsonObject()
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(SECRET)))
        .put("http", new JsonObject().put("allowedOrigins", new JsonArray().add(ORIGIN)))
        .put("proxy", proxy));
  }

  String url(String path) {
    return "http://127.0.0.1:" + backend.actualPort() + path;
  }

  static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  static JsonObject hello() {
    return new JsonObject().put("type", "hello");
  }

  List<Call> callsTo(String path) {
    return calls.stream().filter(c -> c.path.equals(path)).toList();
  }

  // ---- connect ----------------------------------------------------------------------------------

  @Test
  void aBrowserWithOnlyItsSessionCookieIsWhoTheBackendSays() {
    startNode(new JsonObject().put("connectUrl", url("/connect")));
    answers.put("/connect", (req, body) -> json(req, 200, "session=abc".equals(body.getString("cookie"))
        ? new JsonObject().put("user", "carol").put("rooms", new JsonArray().add("lobby"))
            .put("expiresAt", System.currentTimeMillis() / 1000 + 3600)
        : new JsonObject()));

    try (WsClient c = WsClient.connect(node, Map.of("Cookie", "session=abc", "Origin", ORIGIN, "User-Agent", "phone/1.0"))) {
      c.send(hello().put("device", "d1").put("client", "test/1"));
      JsonObject welcome = c.expect("welcome");
      assertEquals("carol", welcome.getString("user"));
      assertEquals("joined", c.join("lobby").getString("type"), "the backend's rooms claim applies");
      assertEquals("forbidden", c.join("elsewhere").getString("code"), "and only those rooms");
    }
    Call call = callsTo("/connect").get(0);
    assertTrue(call.signed, "signed with backend.secrets");
    assertEquals("127.0.0.1", call.body.getString("ip"));
    assertEquals(ORIGIN, call.body.getString("origin"));
    assertEquals("phone/1.0", call.body.getString("userAgent"));
    assertEquals("d1", call.body.getString("device"));
    assertEquals("test/1", call.body.getString("client"));
    assertNull(call.body.getString("token"));
    assertEquals(node.options().getNodeName(), call.body.getString("node"));
  }

  @Test
  void anOpaqueTokenGoesToTheBackendAndAJwtTheNodeVerifiesDoesNot() {
    startNode(new JsonObject().put("connectUrl", url("/connect")));
    answers.put("/connect", (req, body) -> json(req, 200, new JsonObject().put("user", "opaque-" + body.getString("token"))));
    try (WsClient c = WsClient.connect(node, Map.of())) {
      assertEquals("opaque-abc123", c.hello("abc123", null, null).getString("user"));
    }
    try (WsClient c = node.connect()) {
      assertEquals("alice", c.hello(Tokens.user("alice").sign(), null, null).getString("user"));
    }
    assertEquals(1, callsTo("/connect").size(), "the JWT needed no call");
  }

  @Test
  void theBackendsRefusalsAndFailuresCloseWithTheDocumentedCodes() {
    startNode(new JsonObject().put("connectUrl", url("/connect")).put("connectTimeoutMs", 500));
    answers.put("/connect", (req, body) -> {
      switch (body.getString("token")) {
        case "expired" -> json(req, 401, new JsonObject().put("reason", "session expired"));
        case "banned" -> json(req, 403, new JsonObject().put("reason", "account suspended"));
        case "broken" -> json(req, 500, new JsonObject());
        case "no-user" -> json(req, 200, new JsonObject().put("rooms", new JsonArray()));
        default -> { } // "slow": never answered
      }
    });
    assertClose("expired", 4401, "session expired");
    assertClose("banned", 4403, "account suspended");
    assertClose("broken", 1013, "try again later");
    assertClose("no-user", 1013, "try again later");
    assertClose("slow", 1013, "try again later");
    String metrics = node.http().get("/metrics").body();
    assertTrue(metrics.contains("switchboard_proxy_requests_total{proxy=\"connect\",result=\"refused\"} 2.0"), metrics);
    assertTrue(metrics.contains("switchboard_proxy_requests_total{proxy=\"connect\",result=\"failed\"} 3.0"), metrics);
    assertTrue(metrics.contains("switchboard_proxy_request_duration_seconds_bucket{proxy=\"connect\""), metrics);
  }

  private void assertClose(String token, int code, String reason) {
    try (WsClient c = WsClient.connect(node, Map.of())) {
      c.send(hello().put("token", token));
      assertEquals(code, c.awaitClose(), token);
      assertTrue(c.closeReason().contains(reason), token + ": " + c.closeReason());
    }
  }

  // ---- join -------------------------------------------------------------------------------------

  @Test
  void aRoomTheTokenDoesNotNameIsTheBackendsToAllowAndStaysAllowed() {
    startNode(new JsonObject().put("joinUrl", url("/join")).put("joinTimeoutMs", 500));
    answers.put("/join", (req, body) -> {
      switch (body.getString("room")) {
        case "vip" -> json(req, 200, new JsonObject());
        case "secret" -> json(req, 403, new JsonObject().put("reason", "members only"));
        default -> { } // "slow": never answered
      }
    });
    String token = Tokens.user("dave").rooms("lobby").sign();
    try (WsClient c = node.connect()) {
      c.hello(token, "d1", null);
      assertEquals("joined", c.join("lobby").getString("type"));
      assertEquals("joined", c.join("vip").getString("type"));
      JsonObject refused = c.join("secret");
      assertEquals("forbidden", refused.getString("code"));
      assertEquals("members only", refused.getString("message"));
      assertEquals("unavailable", c.join("slow").getString("code"));
    }
    assertEquals(List.of("vip", "secret", "slow"), callsTo("/join").stream().map(c -> c.body.getString("room")).toList(),
        "rooms the token allows need no call");
    JsonObject asked = callsTo("/join").get(0).body;
    assertEquals("dave", asked.getString("user"));
    assertEquals("d1", asked.getString("device"));
    // the backend's yes is kept with the membership: the next connection follows the room with the same token
    try (WsClient c = node.connect()) {
      JsonObject streams = c.hello(token, "d1", null).getJsonObject("streams");
      assertTrue(streams.containsKey("room:vip"), streams.encode());
      assertFalse(streams.containsKey("room:secret"), streams.encode());
    }
  }

  // ---- publish ----------------------------------------------------------------------------------

  @Test
  void theBackendRewritesOrRejectsSendsToItsStreamsAndOnlyThose() {
    startNode(new JsonObject().put("publishUrl", url("/publish")).put("publishStreams", new JsonArray().add("room:*")));
    answers.put("/publish", (req, body) -> {
      String text = body.getJsonObject("body").getString("text");
      if (text.contains("darn")) {
        json(req, 422, new JsonObject().put("code", "profanity").put("message", "watch your language"));
      } else {
        json(req, 200, new JsonObject().put("body", new JsonObject().put("text", text.toUpperCase()).put("checked", true)));
      }
    });
    try (WsClient erin = node.login("erin"); WsClient frank = node.login("frank")) {
      erin.join("lobby");
      frank.join("lobby");
      assertEquals("sent", erin.sendTo("room:lobby", new JsonObject().put("text", "hello"), "m1").getString("type"));
      JsonObject delivered = frank.await(f -> "message".equals(f.getString("type")) && "room:lobby".equals(f.getString("stream")));
      assertEquals(new JsonObject().put("text", "HELLO").put("checked", true), delivered.getJsonObject("body"));

      JsonObject rejected = erin.sendTo("room:lobby", new JsonObject().put("text", "darn it"), "m2");
      assertEquals("rejected", rejected.getString("code"));
      assertEquals("profanity", rejected.getString("reason"));
      assertEquals("watch your language", rejected.getString("message"));

      assertEquals("sent", erin.sendTo("user:frank", new JsonObject().put("text", "darn, a DM"), "m3").getString("type"),
          "user streams are not in publishStreams");
      JsonObject dm = frank.await(f -> "message".equals(f.getString("type")) && "user:frank".equals(f.getString("stream")));
      assertEquals("darn, a DM", dm.getJsonObject("body").getString("text"));
      // nothing of the rejected send reached the room: the next room message has the next seq
      assertEquals("sent", erin.sendTo("room:lobby", new JsonObject().put("text", "again"), "m4").getString("type"));
      JsonObject next = frank.await(f -> "message".equals(f.getString("type")) && "room:lobby".equals(f.getString("stream")));
      assertEquals(delivered.getLong("seq") + 1, next.getLong("seq"));
      assertEquals("AGAIN", next.getJsonObject("body").getString("text"));
    }
    Call first = callsTo("/publish").get(0);
    assertTrue(first.signed);
    assertEquals("erin", first.body.getString("user"));
    assertEquals("room:lobby", first.body.getString("to"));
    assertEquals("m1", first.body.getString("id"));
    assertEquals(3, callsTo("/publish").size());
  }

  @Test
  void aBackendThatFailsGetsRetriedWithTheSameIdAndTheMessageIsStoredOnce() {
    startNode(new JsonObject().put("publishUrl", url("/publish")).put("publishTimeoutMs", 500));
    answers.put("/publish", (req, body) -> json(req, 503, new JsonObject()));
    try (WsClient erin = node.login("erin")) {
      erin.join("lobby");
      assertEquals("unavailable", erin.sendTo("room:lobby", new JsonObject().put("text", "hi"), "once").getString("code"));
      answers.put("/publish", (req, body) -> json(req, 200, new JsonObject()));
      JsonObject sent = erin.sendTo("room:lobby", new JsonObject().put("text", "hi"), "once");
      assertEquals("sent", sent.getString("type"));
      JsonObject again = erin.sendTo("room:lobby", new JsonObject().put("text", "hi"), "once");
      assertEquals(sent.getLong("seq"), again.getLong("seq"), "a retry with the same id is stored once");
    }
  }
}
