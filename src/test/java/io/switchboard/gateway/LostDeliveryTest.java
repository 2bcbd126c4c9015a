package io.switchboard.gateway;

import io.switchboard.NodeParts;
import io.switchboard.routing.Delivery;
import io.switchboard.support.Http;
import io.switchboard.support.LossyBus;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bus loses a delivery and nothing follows it on the stream: the last message of a
 * conversation, the kick of a user, the join of a room. Each still takes effect, within the repair
 * interval, from the log. Before the repair sweep and the control log, none of them ever did.
 */
class LostDeliveryTest {

  static final String API_KEY = "lost-delivery-test-api-key-0123456789";
  static final LossyBus bus = new LossyBus();
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject()
      .put("delivery", new JsonObject().put("repairIntervalMs", 300))
      .put("api", new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(API_KEY))),
      NodeParts.defaults().withBus(bus::wrap));

  @Test
  void theLastMessageOfAConversationLostOnTheBusIsDeliveredFromTheLog() {
    try (WsClient alice = NODE.node().login("lost-alice"); WsClient bob = NODE.node().login("lost-bob")) {
      alice.sendTo("user:lost-bob", "first", null);
      bob.messages("user:lost-bob", 1);
      bus.drop(d -> d.ordered() && "user:lost-bob".equals(d.stream()), 1);
      assertEquals("sent", alice.sendTo("user:lost-bob", "last", null).getString("type"));
      JsonObject last = bob.messages("user:lost-bob", 1).get(0);
      assertEquals("last", last.getString("body"));
      assertEquals(2L, last.getLong("seq"));
    }
  }

  @Test
  void aRoomMessageLostOnTheBusReachesEveryMember() {
    String token = Tokens.user("lost-carol").rooms("lost-*").sign();
    try (WsClient carol = NODE.node().connect(); WsClient dave = NODE.node().connect()) {
      carol.hello(token, null, null);
      carol.join("lost-room");
      dave.hello(Tokens.user("lost-dave").rooms("lost-*").sign(), null, null);
      dave.join("lost-room");
      bus.drop(d -> d.ordered() && "room:lost-room".equals(d.stream()), 1);
      assertEquals("sent", carol.sendTo("room:lost-room", "only", null).getString("type"));
      assertEquals("only", carol.messages("room:lost-room", 1).get(0).getString("body"));
      assertEquals("only", dave.messages("room:lost-room", 1).get(0).getString("body"));
    }
  }

  @Test
  void aKickLostOnTheBusStillClosesTheSessionsOpenBeforeItAndNotLaterOnes() {
    WsClient before = NODE.node().login("lost-eve");
    int dropped = bus.dropped();
    bus.drop(Delivery::control, 1);
    Http.Response r = api(HttpMethod.POST, "/api/v1/users/lost-eve/disconnect", "{\"reason\":\"banned for a minute\"}");
    assertEquals(202, r.status());
    try (WsClient after = NODE.node().login("lost-eve")) {
      assertEquals(4403, before.awaitClose());
      assertEquals("banned for a minute", before.closeReason());
      after.send(new JsonObject().put("type", "ping").put("ref", "still-here"));
      assertEquals("still-here", after.awaitType("pong").getString("ref"), "a session opened after the kick stays");
    }
    assertEquals(dropped + 1, bus.dropped(), "the kick's delivery was lost");
  }

  @Test
  void aJoinByTheApiLostOnTheBusIsFollowedByTheUsersSessions() {
    try (WsClient frank = NODE.node().login("lost-frank"); WsClient grace = NODE.node().connect()) {
      grace.hello(Tokens.user("lost-grace").rooms("lost-*").sign(), null, null);
      grace.join("lost-api-room");
      bus.drop(Delivery::control, 1);
      assertEquals(200, api(HttpMethod.PUT, "/api/v1/rooms/lost-api-room/members/lost-frank", null).status());
      JsonObject joined = frank.await(f -> "joined".equals(f.getString("type")) && "lost-api-room".equals(f.getString("room")));
      assertEquals(null, joined.getValue("ref"));
      grace.sendTo("room:lost-api-room", "welcome frank", null);
      assertEquals("welcome frank", frank.messages("room:lost-api-room", 1).get(0).getString("body"));
    }
  }

  private static Http.Response api(HttpMethod method, String path, String body) {
    return NODE.node().http().call(method, path, Map.of("Authorization", "Bearer " + API_KEY, "Content-Type", "application/json"), body);
  }
}
