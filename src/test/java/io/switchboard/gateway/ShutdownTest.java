package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShutdownTest {

  @Test
  void aStoppingNodeTellsItsClientsToReconnectElsewhereAndClosesWith1012() {
    TestNode node = TestNode.start();
    WsClient alice = node.login("sd-alice");
    WsClient bob = node.login("sd-bob");
    node.close();
    for (WsClient c : List.of(alice, bob)) {
      long after = c.awaitType("reconnect").getLong("after");
      assertTrue(after >= 0 && after <= GatewayVerticle.RECONNECT_HINT_MS, "hint within bounds: " + after);
      assertEquals(CloseCode.SERVICE_RESTART.code(), c.awaitClose());
    }
  }
}
