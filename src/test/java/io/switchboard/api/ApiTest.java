package io.switchboard.api;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.Http;
import io.switchboard.support.LogCapture;
import io.switchboard.support.SharedNode;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiTest {

  static final String KEY = "test-api-key-0123456789abcdef";
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject()
      .put("api", new JsonObject().put("keys", new JsonArray().add("another-key-0123456789abcdef").add(KEY)))
      .put("limits", new JsonObject().put("maxMessageBytes", 4096)));

  static Http.Response api(HttpMethod method, String path, JsonObject body) {
    return NODE.node().http().call(method, "/api/v1" + path, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"),
        body == null ? null : body.encode());
  }

  @Test
  void aMissingOrWrongKeyGets401() {
    Http.Response none = NODE.node().http().get("/api/v1/nodes");
    assertEquals(401, none.status());
    assertEquals("unauthorized", none.json().getString("error"));
    Http.Response wrong = NODE.node().http().call(HttpMethod.GET, "/api/v1/nodes", Map.of("Authorization", "Bearer nope"), null);
    assertEquals(401, wrong.status());
    Http.Response header = NODE.node().http().call(HttpMethod.GET, "/api/v1/nodes", Map.of("X-API-Key", KEY), null);
    assertEquals(200, header.status());
  }

  @Test
  void withNoKeysConfiguredTheApiIsClosed() {
    try (TestNode closed = TestNode.start()) {
      Http.Response r = closed.http().call(HttpMethod.GET, "/api/v1/nodes", Map.of("Authorization", "Bearer " + KEY), null);
      assertEquals(401, r.status());
      assertTrue(r.json().getString("message").contains("api.keys"));
    }
  }

  @Test
  void aSendReachesTheUserAndARetryWithTheSameIdAppendsOnce() {
    try (WsClient bob = NODE.node().login("api-bob")) {
      JsonObject msg = new JsonObject().put("body", new JsonObject().put("text", "from the backend")).put("id", "order-42");
      Http.Response first = api(HttpMethod.POST, "/streams/user:api-bob/messages", msg);
      assertEquals(200, first.status(), first.body());
      String epoch = first.json().getString("epoch");
      assertTrue(epoch != null && !epoch.isEmpty(), first.body());
      assertEquals(new JsonObject().put("stream", "user:api-bob").put("seq", 1).put("epoch", epoch).put("id", "order-42")
          .put("duplicate", false), first.json());
      Http.Response retry = api(HttpMethod.POST, "/streams/user:api-bob/messages", msg);
      assertEquals(1L, retry.json().getLong("seq"));
      assertEquals(epoch, retry.json().getString("epoch"));
      assertTrue(retry.json().getBoolean("duplicate"));

      JsonObject got = bob.messages("user:api-bob", 1).get(0);
      assertEquals("server", got.getString("from"));
      assertEquals("from the backend", got.getJsonObject("body").getString("text"));
      api(HttpMethod.POST, "/streams/user:api-bob/messages", new JsonObject().put("body", "second").put("from", "billing"));
      JsonObject second = bob.messages("user:api-bob", 1).get(0);
      assertEquals("second", second.getString("body"), "the retry was delivered as a new message");
      assertEquals("billing", second.getString("from"));
    }
  }

  @Test
  void badSendsAreRefusedWithTheProtocolsErrorCodes() {
    assertError(api(HttpMethod.POST, "/streams/nowhere/messages", new JsonObject().put("body", 1)), 400, "bad_request");
    assertError(api(HttpMethod.POST, "/streams/all/messages", new JsonObject()), 400, "bad_request");
    assertError(api(HttpMethod.POST, "/streams/all/messages", new JsonObject().put("body", 1).put("from", "a b")), 400, "bad_request");
    assertError(api(HttpMethod.POST, "/streams/all/messages", new JsonObject().put("body", "x".repeat(5000))), 413, "too_large");
    Http.Response notJson = NODE.node().http().call(HttpMethod.POST, "/api/v1/streams/all/messages",
        Map.of("Authorization", "Bearer " + KEY), "{oops");
    assertError(notJson, 400, "bad_request");
    assertError(api(HttpMethod.GET, "/no/such/route", null), 404, "not_found");
  }

  @Test
  void historyIsReadInPages() {
    for (int i = 1; i <= 5; i++) {
      api(HttpMethod.POST, "/streams/room:hist/messages", new JsonObject().put("body", i));
    }
    JsonObject page = api(HttpMethod.GET, "/streams/room:hist/messages?from=2&limit=2", null).json();
    assertEquals(5L, page.getLong("head"));
    assertEquals(1L, page.getLong("firstAvailable"));
    JsonArray messages = page.getJsonArray("messages");
    assertEquals(2, messages.size());
    assertEquals(2, messages.getJsonObject(0).getInteger("body"));
    assertEquals(4L, page.getLong("next"));
    JsonObject last = api(HttpMethod.GET, "/streams/room:hist/messages?from=4", null).json();
    assertEquals(2, last.getJsonArray("messages").size());
    assertEquals(null, last.getValue("next"));
    assertError(api(HttpMethod.GET, "/streams/room:hist/messages?limit=100000", null), 400, "bad_request");
  }

  @Test
  void membershipManagedByTheApiIsFollowedByTheUsersSessions() {
    try (WsClient bob = NODE.node().login("mem-bob"); WsClient carol = NODE.node().login("mem-carol")) {
      carol.join("mem-room");
      JsonObject added = api(HttpMethod.PUT, "/rooms/mem-room/members/mem-bob", null).json();
      assertTrue(added.getBoolean("added"));
      assertEquals("mem-room", bob.awaitType("joined").getString("room"));
      assertEquals("online", carol.awaitType("presence").getString("state"));
      carol.sendTo("room:mem-room", "welcome bob", null);
      assertEquals("welcome bob", bob.messages("room:mem-room", 1).get(0).getString("body"));

      JsonObject members = api(HttpMethod.GET, "/rooms/mem-room/members", null).json();
      assertEquals(new JsonArray().add("mem-bob").add("mem-carol"), members.getJsonArray("members"));
      JsonObject presence = api(HttpMethod.GET, "/rooms/mem-room/presence", null).json();
      assertEquals(2, presence.getInteger("onlineCount"));

      assertTrue(api(HttpMethod.DELETE, "/rooms/mem-room/members/mem-bob", null).json().getBoolean("removed"));
      assertEquals("mem-room", bob.awaitType("left").getString("room"));
      assertFalse(api(HttpMethod.DELETE, "/rooms/mem-room/members/mem-bob", null).json().getBoolean("removed"));
    }
  }

  /** PUT /rooms/room:lobby/members/bob used to add bob to room:room:lobby, another room. */
  @Test
  void aStreamNameAsTheRoomOfARoomPathIsRefused() {
    String message = "\"room\" is a room id such as api-room, not a stream name such as room:api-room";
    for (HttpMethod method : List.of(HttpMethod.PUT, HttpMethod.DELETE)) {
      Http.Response r = api(method, "/rooms/room:api-room/members/api-bob", null);
      assertError(r, 400, "bad_request");
      assertEquals(message, r.json().getString("message"));
    }
    assertEquals(message, api(HttpMethod.GET, "/rooms/room:api-room/members", null).json().getString("message"));
    assertError(api(HttpMethod.GET, "/rooms/user:api-bob/presence", null), 400, "bad_request");
    assertEquals(new JsonArray(), api(HttpMethod.GET, "/rooms/api-room/members", null).json().getJsonArray("members"));

    // a colon elsewhere is part of the id
    assertTrue(api(HttpMethod.PUT, "/rooms/team:api/members/api-bob", null).json().getBoolean("added"));
    assertEquals(new JsonArray().add("api-bob"), api(HttpMethod.GET, "/rooms/team:api/members", null).json().getJsonArray("members"));
  }

  @Test
  void userPresenceCountsSessions() {
    assertEquals(new JsonObject().put("user", "pres-x").put("online", false).put("sessions", 0),
        api(HttpMethod.GET, "/users/pres-x/presence", null).json());
    try (WsClient one = NODE.node().login("pres-x"); WsClient two = NODE.node().login("pres-x")) {
      assertEquals(2, api(HttpMethod.GET, "/users/pres-x/presence", null).json().getInteger("sessions"));
    }
  }

  @Test
  void disconnectClosesEverySessionOfTheUserWith4403() {
    try (WsClient one = NODE.node().login("kick-me"); WsClient two = NODE.node().login("kick-me"); WsClient other = NODE.node().login("kick-other")) {
      Http.Response r = api(HttpMethod.POST, "/users/kick-me/disconnect", new JsonObject().put("reason", "banned for spam"));
      assertEquals(202, r.status());
      for (WsClient c : List.of(one, two)) {
        assertEquals(CloseCode.FORBIDDEN.code(), c.awaitClose());
        assertEquals("banned for spam", c.closeReason());
      }
      other.send(new JsonObject().put("type", "ping").put("ref", "still"));
      assertEquals("pong", other.await(f -> "still".equals(f.getValue("ref"))).getString("type"));
    }
  }

  @Test
  void nodesAreListedWithTheirConnections() {
    try (WsClient c = NODE.node().login("nodes-user")) {
      JsonArray nodes = api(HttpMethod.GET, "/nodes", null).json().getJsonArray("nodes");
      assertEquals(1, nodes.size());
      JsonObject self = nodes.getJsonObject(0);
      assertEquals(NODE.node().options().getNodeName(), self.getString("name"));
      assertTrue(self.getInteger("connections") >= 1);
      assertFalse(self.getBoolean("draining"));
    }
  }

  @Test
  void verticlesSendThroughTheEventBus() {
    try (WsClient bob = NODE.node().login("eb-bob")) {
      JsonObject reply = NODE.node().vertx().eventBus().<JsonObject>request("sb.api.send",
          new JsonObject().put("to", "user:eb-bob").put("body", "from a verticle").put("from", "worker")).await().body();
      assertEquals("user:eb-bob", reply.getString("stream"));
      JsonObject got = bob.messages("user:eb-bob", 1).get(0);
      assertEquals("worker", got.getString("from"));
      assertEquals(reply.getLong("seq"), got.getLong("seq"));
      ReplyException bad = assertThrows(ReplyException.class, () -> NODE.node().vertx().eventBus()
          .request("sb.api.send", new JsonObject().put("to", "nowhere").put("body", 1)).await());
      assertEquals(400, bad.failureCode());
    }
  }

  /** Refused by the body parser before any route: still the API's JSON, and nothing logged with a stack trace. */
  @Test
  void bodiesTheParserRefusesGetJsonErrorsAndLogNoStackTrace() {
    try (LogCapture log = new LogCapture("")) {
      String huge = new JsonObject().put("body", "x".repeat(9_000)).encode();
      assertError(NODE.node().http().call(HttpMethod.POST, "/api/v1/streams/all/messages",
          Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"), huge), 413, "too_large");
      // curl -d sends a form: one field longer than the form decoder takes (8 KB), within the body
      // limit of the default limits.maxMessageBytes
      try (TestNode defaults = TestNode.start(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(KEY))))) {
        for (int i = 0; i < 3; i++) {
          assertError(defaults.http().call(HttpMethod.POST, "/api/v1/streams/all/messages",
              Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/x-www-form-urlencoded"), "body=" + "x".repeat(9_000)),
              400, "bad_request");
        }
      }
      assertEquals(List.of(), log.withStackTraces(), "a client's request logged a stack trace");
    }
  }

  static void assertError(Http.Response r, int status, String code) {
    assertEquals(status, r.status(), r.body());
    assertEquals(code, r.json().getString("error"), r.body());
    assertTrue(r.json().getString("message").length() > 0);
  }
}
