package io.switchboard.gateway;

import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.switchboard.support.Tokens;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HandshakeTest {

  @Test
  void anOriginOutsideTheAllowListGets403BeforeAnyUpgrade() {
    JsonObject config = new JsonObject().put("http", new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://app.example.com")));
    try (TestNode node = TestNode.start(config)) {
      UpgradeRejectedException rejected = assertThrows(UpgradeRejectedException.class,
          () -> node.connect(Map.of("Origin", "https://evil.example.com")));
      assertEquals(403, rejected.getStatus());

      try (WsClient allowed = node.connect(Map.of("Origin", "https://app.example.com"))) {
        assertEquals("ho-a", allowed.hello(Tokens.user("ho-a").sign(), null, null).getString("user"));
      }
      try (WsClient noOrigin = node.connect()) {
        assertEquals("ho-b", noOrigin.hello(Tokens.user("ho-b").sign(), null, null).getString("user"));
      }
    }
  }

  @Test
  void withoutAnAllowListOnlyTheSameOriginIsAllowed() {
    try (TestNode node = TestNode.start()) {
      try (WsClient same = node.connect(Map.of("Origin", "http://127.0.0.1:" + node.port()))) {
        assertEquals("ho-c", same.hello(Tokens.user("ho-c").sign(), null, null).getString("user"));
      }
      UpgradeRejectedException rejected = assertThrows(UpgradeRejectedException.class,
          () -> node.connect(Map.of("Origin", "http://127.0.0.1:1")));
      assertEquals(403, rejected.getStatus());
    }
  }

  @Test
  void onlyWsUpgrades() {
    try (TestNode node = TestNode.start()) {
      UpgradeRejectedException rejected = assertThrows(UpgradeRejectedException.class,
          () -> io.switchboard.support.WsClient.connectPath(node, "/elsewhere"));
      assertEquals(404, rejected.getStatus());
    }
  }
}
