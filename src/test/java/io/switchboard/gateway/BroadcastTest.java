package io.switchboard.gateway;

import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BroadcastTest {

  static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void onlyATokenWithTheBroadcastClaimMaySendToAll() {
    try (WsClient plain = node.login("bc-plain");
         WsClient admin = node.connect();
         WsClient other = node.login("bc-other")) {
      admin.hello(Tokens.user("bc-admin").broadcast(true).sign(), null, null);

      JsonObject denied = plain.sendTo("all", "everyone!", null);
      assertEquals("error", denied.getString("type"));
      assertEquals("forbidden", denied.getString("code"));

      JsonObject sent = admin.sendTo("all", "maintenance at noon", null);
      assertEquals("sent", sent.getString("type"));
      for (WsClient c : List.of(plain, admin, other)) {
        JsonObject m = c.messages("all", 1).get(0);
        assertEquals("maintenance at noon", m.getString("body"));
        assertEquals("bc-admin", m.getString("from"));
        assertEquals(sent.getLong("seq"), m.getLong("seq"));
      }
    }
  }
}
