package io.switchboard.api;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.Http;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

      Http.Response refused = node.http().get("/dev/token?user=not%20valid");
      assertEquals(400, refused.status());
      // the API's error shape
      assertEquals("bad_request", new JsonObject(refused.body()).getString("error"), refused.body());
      assertTrue(new JsonObject(refused.body()).getString("message").contains("letters, digits"), refused.body());
      assertEquals(400, node.http().get("/dev/token").status());
    }
  }

  /**
   * The README's cluster recipe runs dev mode with the real secret: its dev tokens (any name, every
   * room, broadcast) are signed with the key every node trusts, so a node that is not in dev mode must
   * refuse them by their claim, at hello and at refresh.
   */
  @Test
  void devTokensAreRefusedByANodeSharingTheSecretThatIsNotInDevMode() {
    JsonObject devMode = new JsonObject().put("auth", new JsonObject().put("devMode", true));
    try (TestNode dev = TestNode.start(devMode); TestNode production = TestNode.start()) {
      assertTrue(dev.options().getAuth().isDevMode());
      assertFalse(production.options().getAuth().isDevMode());
      assertEquals(production.options().getAuth().getJwtSecret(), dev.options().getAuth().getJwtSecret());
      String devToken = new JsonObject(dev.http().get("/dev/token?user=mallory").body()).getString("token");

      try (WsClient onDev = dev.connect()) {
        assertEquals("mallory", onDev.hello(devToken, null, null).getString("user"));
        assertEquals("sent", onDev.sendTo("all", "dev tokens work in dev mode", null).getString("type"));
      }
      // a customer's token is good on both
      try (WsClient onDev = dev.login("dev-customer")) {
        assertFalse(onDev.isClosed());
      }

      try (WsClient atHello = production.connect()) {
        atHello.send(new JsonObject().put("type", "hello").put("token", devToken));
        assertEquals(CloseCode.UNAUTHORIZED.code(), atHello.awaitClose());
        assertEquals("dev token refused: this node is not in dev mode", atHello.closeReason());
      }
      try (WsClient atRefresh = production.connect()) {
        atRefresh.hello(Tokens.user("mallory").sign(), null, null);
        atRefresh.send(new JsonObject().put("type", "refresh").put("token", devToken));
        assertEquals(CloseCode.UNAUTHORIZED.code(), atRefresh.awaitClose());
        assertEquals("refresh rejected: dev token refused: this node is not in dev mode", atRefresh.closeReason());
      }
    }
  }
}
