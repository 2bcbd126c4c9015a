package io.switchboard.api;

import io.switchboard.support.Http;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The look-ups an operator makes (GET /users/{user}, GET /rooms/{room}) and disconnecting one
 * session of a user, against a real node with real WebSocket clients.
 */
class LookupTest {

  static final String KEY = "lookup-test-api-key-0123456789";
  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(KEY))));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Http.Response api(HttpMethod method, String path, JsonObject body) {
    return node.http().api(KEY, method, path, body);
  }

  static WsClient connect(String user, String device) {
    String token = Tokens.user(user).sign();
    WsClient c = node.connect().answerPings();
    c.hello(token, device, null);
    return c;
  }

  @Test
  void aUserShowsSessionsRoomsAndDevices() {
    assertEquals(200, api(HttpMethod.PUT, "/rooms/desk/members/uma", null).status());
    try (WsClient phone = connect("uma", "phone"); WsClient laptop = connect("uma", "laptop")) {
      JsonObject u = api(HttpMethod.GET, "/users/uma", null).json();
      assertTrue(u.getBoolean("online"));
      JsonArray sessions = u.getJsonArray("sessions");
      assertEquals(2, sessions.size(), u.encode());
      JsonObject first = sessions.stream().map(JsonObject.class::cast)
          .filter(s -> s.getString("session").equals(phone.welcome().getString("session"))).findFirst().orElseThrow();
      assertEquals("phone", first.getString("device"));
      assertEquals("127.0.0.1", first.getString("ip"));
      assertEquals(node.options().getNodeName(), first.getString("node"));
      assertTrue(first.getLong("connectedAt") > 0);
      assertEquals(List.of("desk"), first.getJsonArray("rooms").getList());
      assertEquals(new JsonArray().add(new JsonObject().put("room", "desk").put("granted", true)), u.getJsonArray("rooms"));
      assertEquals(List.of("laptop", "phone"), u.getJsonArray("devices").stream().map(d -> ((JsonObject) d).getString("device")).toList());
      assertEquals(new JsonArray(), u.getJsonArray("unanswered"));
    }
    RedisServer.await("uma's sessions closed", 10_000,
        () -> api(HttpMethod.GET, "/users/uma", null).json().getJsonArray("sessions").isEmpty());
    assertFalse(api(HttpMethod.GET, "/users/uma", null).json().getBoolean("online"));
  }

  @Test
  void oneSessionIsDisconnectedWithTheCodeAsked() {
    try (WsClient phone = connect("vic", "phone"); WsClient laptop = connect("vic", "laptop")) {
      String session = phone.welcome().getString("session");
      Http.Response r = api(HttpMethod.POST, "/users/vic/sessions/" + session + "/disconnect", new JsonObject().put("code", 1012));
      assertEquals(202, r.status(), r.body());
      assertEquals(new JsonObject().put("user", "vic").put("session", session).put("code", 1012), r.json());
      assertEquals(1012, phone.awaitClose());
      // the other session is still served: a message to the user reaches it
      assertEquals(200, api(HttpMethod.POST, "/streams/user:vic/messages", new JsonObject().put("body", "still here")).status());
      assertEquals("still here", laptop.awaitType("message").getString("body"));
      assertFalse(laptop.isClosed());
    }
  }

  @Test
  void aDisconnectRefusesCodesAndSessionsItDoesNotKnow() {
    Http.Response code = api(HttpMethod.POST, "/users/vic/disconnect", new JsonObject().put("code", 1000));
    assertEquals(400, code.status());
    assertTrue(code.json().getString("message").contains("4403"), code.body());
    assertEquals(400, api(HttpMethod.POST, "/users/vic/sessions/a%20b/disconnect", null).status());
  }

  @Test
  void aRoomShowsMembersLogAndRetention() {
    assertEquals(200, api(HttpMethod.PUT, "/rooms/ops/members/wes", null).status());
    for (int i = 1; i <= 3; i++) {
      assertEquals(200, api(HttpMethod.POST, "/streams/room:ops/messages", new JsonObject().put("body", "m" + i)).status());
    }
    try (WsClient wes = connect("wes", "phone")) {
      JsonObject r = api(HttpMethod.GET, "/rooms/ops?messages=2", null).json();
      assertEquals(List.of("wes"), r.getJsonArray("members").getList());
      assertEquals(1, r.getInteger("memberCount"));
      assertEquals(1, r.getInteger("onlineCount"));
      assertEquals(3, r.getLong("head"));
      assertFalse(r.getString("epoch").isEmpty());
      assertEquals(List.of("m2", "m3"), r.getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("body")).toList());
      assertEquals(new JsonObject().put("maxMessages", 1000).put("maxAgeSeconds", 7 * 24 * 3600L), r.getJsonObject("retention"));
    }
    JsonObject empty = api(HttpMethod.GET, "/rooms/nobody-here", null).json();
    assertEquals(0, empty.getLong("head"));
    assertEquals(new JsonArray(), empty.getJsonArray("messages"));
    assertEquals(400, api(HttpMethod.GET, "/rooms/room:ops", null).status());
  }
}
