package io.switchboard.transport;

import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Both socket transports serve the whole front door: WebSockets and the relayed HTTP routes. */
class SocketTransportTest {

  @Test
  void onLinuxX86TheNodeRunsOnEpollByDefault() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the native transport the build ships is Linux x86-64's");
    try (TestNode node = TestNode.start()) {
      assertTrue(node.vertx().isNativeTransportEnabled(), "native transport: " + node.vertx().unavailableNativeTransportCause());
      exchange(node);
    }
  }

  @Test
  void withTheNativeTransportOffTheNodeRunsOnNio() {
    try (TestNode node = TestNode.start(new JsonObject().put("http", new JsonObject().put("nativeTransport", false)))) {
      assertFalse(node.vertx().isNativeTransportEnabled());
      exchange(node);
    }
  }

  private static void exchange(TestNode node) {
    try (WsClient alice = node.login("tr-alice"); WsClient bob = node.login("tr-bob")) {
      alice.sendTo("user:tr-bob", "over this transport", null);
      assertEquals("over this transport", bob.messages("user:tr-bob", 1).get(0).getString("body"));
    }
    assertEquals(200, node.http().get("/health/live").status());
  }
}
