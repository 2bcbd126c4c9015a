package io.switchboard.gateway;

import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BroadcastTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void onlyATokenWithTheBroadcastClaimMaySendToAll() {
    try (WsClient plain = NODE.node().login("bc-plain");
         WsClient admin = NODE.node().connect();
         WsClient other = NODE.node().login("bc-other")) {
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
