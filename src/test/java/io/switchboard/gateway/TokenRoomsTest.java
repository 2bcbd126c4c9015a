package io.switchboard.gateway;

import io.switchboard.support.Http;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A membership outlives the token it was made with; the right to read and write the room does not.
 * A room the user joined with an earlier token that no longer allows it is neither followed nor
 * writable; a room the HTTP API granted is followed whatever the token says.
 */
class TokenRoomsTest {

  static final String API_KEY = "token-rooms-test-api-key-0123456789";
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY))));

  @Test
  void aRoomJoinedWithAnEarlierTokenIsNotFollowedOnceTheTokenNoLongerAllowsIt() {
    try (WsClient bob = NODE.node().connect()) {
      bob.hello(Tokens.user("tr-bob").rooms("tr-*").sign(), null, null);
      assertEquals("joined", bob.join("tr-old").getString("type"));
    }
    assertEquals(200, api(HttpMethod.PUT, "/api/v1/rooms/ops-granted/members/tr-bob").status());

    try (WsClient bob = NODE.node().connect()) {
      JsonObject streams = bob.hello(Tokens.user("tr-bob").rooms("other-*").sign(), null, null).getJsonObject("streams");
      assertFalse(streams.containsKey("room:tr-old"), "not readable with this token: " + streams);
      assertTrue(streams.containsKey("room:ops-granted"), "granted by the API whatever the token says: " + streams);
      JsonObject refused = bob.sendTo("room:tr-old", "hi", null);
      assertEquals("error", refused.getString("type"));
      assertEquals("forbidden", refused.getString("code"));
      assertEquals("sent", bob.sendTo("room:ops-granted", "hi", null).getString("type"));
    }
    assertTrue(NODE.node().services().store().rooms("tr-bob").await().containsKey("tr-old"), "the membership itself stays");
  }

  @Test
  void aRefreshedTokenThatNoLongerAllowsARoomStopsItsFollowing() {
    try (WsClient carol = NODE.node().connect()) {
      carol.hello(Tokens.user("tr-carol").rooms("tr-*").sign(), null, null);
      carol.join("tr-team");
      carol.send(new JsonObject().put("type", "refresh").put("token", Tokens.user("tr-carol").rooms("other-*").sign()));
      JsonObject left = carol.awaitType("left");
      assertEquals("tr-team", left.getString("room"));
      assertNull(left.getValue("ref"));
      assertEquals("forbidden", carol.sendTo("room:tr-team", "hi", null).getString("code"));
    }
  }

  private static Http.Response api(HttpMethod method, String path) {
    return NODE.node().http().call(method, path, Map.of("Authorization", "Bearer " + API_KEY), null);
  }
}
