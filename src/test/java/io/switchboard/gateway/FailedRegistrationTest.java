package io.switchboard.gateway;

import io.switchboard.NodeParts;
import io.switchboard.support.LossyBus;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event-bus registration of a room fails (the cluster refuses it during a migration or a
 * partition). A session must not keep a room it does not receive, and the failure must not stay in
 * the event loop: the next session that follows the room gets a fresh registration.
 */
class FailedRegistrationTest {

  static final String API_KEY = "failed-registration-test-api-key-0123";

  @Test
  void aSessionThatCannotFollowAJoinReconnectsAndTheNextHelloOnTheLoopFollowsTheRoom() {
    LossyBus bus = new LossyBus();
    // one event loop, so that the session after the failure is on the loop that saw it
    try (TestNode node = TestNode.start(new JsonObject().put("http", new JsonObject().put("instances", 1))
            .put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY))),
        NodeParts.defaults().withBus(bus::wrap))) {
      String bobToken = Tokens.user("fr-bob").rooms("fr-*").sign();
      try (WsClient bob = node.connect()) {
        bob.hello(bobToken, null, null);
        bus.failSubscribe("room:fr-room", 1);
        // the API's join reaches bob's session as a control event; there the registration fails
        assertEquals(200, node.http().call(HttpMethod.PUT, "/api/v1/rooms/fr-room/members/fr-bob",
            Map.of("Authorization", "Bearer " + API_KEY), null).status());
        assertEquals(1013, bob.awaitClose(), "a session that could not follow the room reconnects");
        assertTrue(bob.closeReason().contains("fr-room"), bob.closeReason());
      }
      try (WsClient bob = node.connect(); WsClient alice = node.connect()) {
        JsonObject streams = bob.hello(bobToken, null, null).getJsonObject("streams");
        assertTrue(streams.containsKey("room:fr-room"), "the room is followed: " + streams);
        alice.hello(Tokens.user("fr-alice").rooms("fr-*").sign(), null, null);
        alice.join("fr-room");
        assertEquals("sent", alice.sendTo("room:fr-room", "after", null).getString("type"));
        assertEquals("after", bob.messages("room:fr-room", 1).get(0).getString("body"));
      }
    }
  }

  /**
   * Counting a session for presence runs beside its registrations and reads: when the hello fails on
   * the other side, the count it may already have made is undone, so nobody is left online who is not.
   */
  @Test
  void aHelloThatFailsLeavesItsUserOffline() {
    LossyBus bus = new LossyBus();
    try (TestNode node = TestNode.start(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY))),
        NodeParts.defaults().withBus(bus::wrap))) {
      String token = Tokens.user("fr-carol").rooms("fr-*").sign();
      Map<String, String> auth = Map.of("Authorization", "Bearer " + API_KEY);
      bus.failSubscribe("user:fr-carol", 1);
      try (WsClient carol = node.connect()) {
        carol.send(new JsonObject().put("type", "hello").put("token", token));
        assertEquals(1013, carol.awaitClose(), "a hello that cannot register ends with try again later");
      }
      RedisServer.await("the failed hello's presence to be undone", 10_000, () ->
          node.http().call(HttpMethod.GET, "/api/v1/users/fr-carol/presence", auth, null).json().getInteger("sessions") == 0);
      try (WsClient carol = node.connect()) {
        carol.hello(token, null, null);
        JsonObject presence = node.http().call(HttpMethod.GET, "/api/v1/users/fr-carol/presence", auth, null).json();
        assertEquals(1, presence.getInteger("sessions"), "the next hello counts: " + presence);
      }
    }
  }
}
