package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.SharedNode;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TimeoutTest {

  /** Long enough for a loaded machine to answer a ping in time, short enough for a quick test. */
  static final int HEARTBEAT_MS = 1000;
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject().put("protocol", new JsonObject().put("heartbeatMs", HEARTBEAT_MS)));

  @Test
  void noHelloClosesWith4408() {
    try (TestNode impatient = TestNode.start(new JsonObject().put("protocol", new JsonObject().put("helloTimeoutMs", 300)));
         WsClient c = impatient.connect()) {
      assertEquals(CloseCode.TIMEOUT.code(), c.awaitClose());
      assertEquals("no hello within 300 ms", c.closeReason());
    }
  }

  @Test
  void anUnansweredPingClosesWith4408() {
    String token = Tokens.user("to-silent").sign();
    try (WsClient c = NODE.node().connect()) {
      assertEquals(HEARTBEAT_MS, c.hello(token, null, null).getInteger("heartbeat"));
      assertEquals("ping", c.awaitType("ping").getString("type"));
      assertEquals(CloseCode.TIMEOUT.code(), c.awaitClose());
      assertEquals("no frame within " + HEARTBEAT_MS + " ms of a ping", c.closeReason());
    }
  }

  @Test
  void aClientThatAnswersPingsStaysConnected() {
    String token = Tokens.user("to-alive").sign();
    try (WsClient c = NODE.node().connect()) {
      c.hello(token, null, null);
      for (int i = 0; i < 3; i++) {
        c.awaitType("ping");
        c.send(new JsonObject().put("type", "pong"));
      }
      // three heartbeats later: still open, and it still works
      c.send(new JsonObject().put("type", "ping").put("ref", "last"));
      assertEquals("pong", c.await(f -> "last".equals(f.getValue("ref"))).getString("type"));
      assertFalse(c.isClosed());
    }
  }
}
