package io.switchboard.gateway;

import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A phone is offline while its user joins a room on the laptop. The room is the user's from the
 * join: when the phone comes back with no position in the room (it never had one), it gets what was
 * sent to the room since the join, not only what comes after its return. A brand-new device still
 * starts at the heads.
 */
class JoinedElsewhereTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void aDeviceOfflineDuringAJoinGetsTheRoomFromTheJoinOn() {
    String bob = Tokens.user("je-bob").rooms("je-*").sign();
    try (WsClient phone = NODE.node().connect()) {
      phone.hello(bob, "phone", null);
    }
    try (WsClient laptop = NODE.node().connect(); WsClient alice = NODE.node().connect()) {
      laptop.hello(bob, "laptop", null);
      alice.hello(Tokens.user("je-alice").rooms("je-*").sign(), null, null);
      alice.join("je-room");
      alice.sendTo("room:je-room", "before bob", null);
      assertEquals("joined", laptop.join("je-room").getString("type"));
      for (int i = 1; i <= 3; i++) {
        assertEquals("sent", alice.sendTo("room:je-room", "for bob " + i, null).getString("type"));
      }
      laptop.messages("room:je-room", 3);
    }
    try (WsClient phone = NODE.node().connect(); WsClient tablet = NODE.node().connect()) {
      phone.hello(bob, "phone", null);
      List<JsonObject> missed = phone.messages("room:je-room", 3);
      for (int i = 0; i < 3; i++) {
        assertEquals("for bob " + (i + 1), missed.get(i).getString("body"));
      }
      JsonObject resumed = phone.await(f -> "resumed".equals(f.getString("type")) && "room:je-room".equals(f.getString("stream")));
      assertEquals(2L, resumed.getLong("from"), "from the join on, not before it");

      // a device never seen before starts at the heads, as ever
      tablet.hello(bob, "tablet", null);
      JsonObject fresh = tablet.await(f -> "resumed".equals(f.getString("type")) && "room:je-room".equals(f.getString("stream")));
      assertEquals(fresh.getLong("to") + 1, fresh.getLong("from"), "nothing replayed: " + fresh.encode());
    }
  }
}
