package io.switchboard.gateway;

import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectMessageTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void twoUsersExchangeDirectMessages() {
    try (WsClient alice = NODE.node().login("dm-alice"); WsClient bob = NODE.node().login("dm-bob")) {
      JsonObject sent = alice.sendTo("user:dm-bob", new JsonObject().put("text", "hi bob"), null);
      assertEquals("sent", sent.getString("type"));
      assertEquals("user:dm-bob", sent.getString("stream"));
      assertEquals(1L, sent.getLong("seq"));

      JsonObject got = bob.messages("user:dm-bob", 1).get(0);
      assertEquals("dm-alice", got.getString("from"));
      assertEquals("hi bob", got.getJsonObject("body").getString("text"));
      assertEquals(1L, got.getLong("seq"));
      assertEquals(sent.getString("id"), got.getString("id"));
      assertTrue(got.getLong("ts") > 0);

      bob.sendTo("user:dm-alice", "hi alice", null);
      JsonObject reply = alice.messages("user:dm-alice", 1).get(0);
      assertEquals("dm-bob", reply.getString("from"));
      assertEquals("hi alice", reply.getString("body"));
    }
  }

  @Test
  void anyJsonValueIsABody() {
    try (WsClient alice = NODE.node().login("body-alice"); WsClient bob = NODE.node().login("body-bob")) {
      Object[] bodies = {"text", 42, 1.5, true, null, new io.vertx.core.json.JsonArray().add(1).add("two"),
          new JsonObject().put("nested", new JsonObject().put("deep", List.of(1, 2)))};
      for (Object body : bodies) {
        alice.sendTo("user:body-bob", body, null);
      }
      List<JsonObject> got = bob.messages("user:body-bob", bodies.length);
      for (int i = 0; i < bodies.length; i++) {
        assertEquals(bodies[i], got.get(i).getValue("body"));
      }
    }
  }

  @Test
  void theSenderIsAlwaysTheTokenUserWhateverTheFrameSays() {
    try (WsClient mallory = NODE.node().login("imp-mallory"); WsClient bob = NODE.node().login("imp-bob")) {
      mallory.send(new JsonObject().put("type", "send").put("ref", 1).put("to", "user:imp-bob")
          .put("from", "imp-alice").put("body", "it is me, alice"));
      mallory.awaitType("sent");
      JsonObject got = bob.messages("user:imp-bob", 1).get(0);
      assertEquals("imp-mallory", got.getString("from"));
    }
  }

  @Test
  void everyDeviceOfAUserGetsEveryMessageInTheSameOrder() {
    try (WsClient alice = NODE.node().login("md-alice");
         WsClient carol = NODE.node().login("md-carol");
         WsClient phone = NODE.node().connect();
         WsClient laptop = NODE.node().connect()) {
      phone.hello(Tokens.user("md-bob").sign(), "phone", null);
      laptop.hello(Tokens.user("md-bob").sign(), "laptop", null);
      for (int i = 0; i < 20; i++) {
        (i % 2 == 0 ? alice : carol).sendTo("user:md-bob", i, null);
      }
      List<JsonObject> onPhone = phone.messages("user:md-bob", 20);
      List<JsonObject> onLaptop = laptop.messages("user:md-bob", 20);
      for (int i = 0; i < 20; i++) {
        assertEquals(i + 1, onPhone.get(i).getLong("seq"));
        assertEquals(onPhone.get(i).encode(), onLaptop.get(i).encode());
      }
    }
  }

  @Test
  void welcomeDescribesTheSession() {
    try (WsClient c = NODE.node().connect()) {
      JsonObject welcome = c.hello(Tokens.user("wl-dave").sign(), "tablet", null);
      assertEquals("wl-dave", welcome.getString("user"));
      assertEquals(NODE.node().options().getNodeName(), welcome.getString("node"));
      assertEquals(25_000, welcome.getInteger("heartbeat"));
      assertTrue(welcome.getString("session").startsWith(NODE.node().options().getNodeName()));
      JsonObject streams = welcome.getJsonObject("streams");
      assertEquals(0L, streams.getJsonObject("user:wl-dave").getLong("head"));
      assertTrue(streams.containsKey("all"));
      // every stream of the welcome gets its resumed, even when nothing was missed
      JsonObject r1 = c.expect("resumed");
      JsonObject r2 = c.expect("resumed");
      assertEquals(java.util.Set.of("user:wl-dave", "all"), java.util.Set.of(r1.getString("stream"), r2.getString("stream")));
    }
  }
}
