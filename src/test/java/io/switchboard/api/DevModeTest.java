package io.switchboard.api;

import io.switchboard.support.Http;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevModeTest {

  @Test
  void withNoAuthConfiguredTheNodeHandsOutWorkingDevTokens() {
    JsonObject onlyAPort = new JsonObject().put("http", new JsonObject().put("port", 0));
    try (TestNode node = TestNode.startRaw(onlyAPort)) {
      assertTrue(node.options().getAuth().isDevMode());
      assertEquals("127.0.0.1", node.options().getHttp().getHost());

      Http.Response response = node.http().get("/dev/token?user=alice");
      assertEquals(200, response.status());
      JsonObject token = new JsonObject(response.body());
      assertEquals("alice", token.getString("user"));
      assertEquals(86_400, token.getInteger("expiresIn"));

      try (WsClient alice = node.connect(); WsClient bob = node.connect()) {
        alice.hello(token.getString("token"), null, null);
        bob.hello(new JsonObject(node.http().get("/dev/token?user=bob").body()).getString("token"), null, null);
        assertEquals("joined", alice.join("lobby").getString("type"));
        assertEquals("sent", alice.sendTo("all", "dev tokens may broadcast", null).getString("type"));
        assertEquals("dev tokens may broadcast", bob.messages("all", 1).get(0).getString("body"));
      }

      assertEquals(400, node.http().get("/dev/token?user=not%20valid").status());
      assertEquals(400, node.http().get("/dev/token").status());
    }
  }
}
