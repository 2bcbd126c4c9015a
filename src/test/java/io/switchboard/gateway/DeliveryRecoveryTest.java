package io.switchboard.gateway;

import io.switchboard.routing.Delivery;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.StoredMessage;
import io.switchboard.support.Senders;
import io.switchboard.support.SharedNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event bus is best effort. Here the test is the publisher and misbehaves on purpose, on the
 * real bus, while a real client listens: lost, reordered and repeated deliveries must still reach
 * the client exactly once and in order, recovered from the log.
 */
class DeliveryRecoveryTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject().put("limits", new JsonObject().put("messagesBurst", 1000)));

  @Test
  void lostReorderedAndRepeatedDeliveriesReachTheClientOnceInOrder() {
    try (WsClient bob = NODE.node().login("rec-bob")) {
      bob.await(f -> "resumed".equals(f.getString("type")) && "user:rec-bob".equals(f.getString("stream")));
      List<StoredMessage> log = new ArrayList<>();
      for (int i = 1; i <= 8; i++) {
        log.add(append("user:rec-bob", i));
      }
      // 1-4 never published (lost); 5 arrives; then 7 before 6; then 3 again, late
      publish(log.get(4));
      publish(log.get(6));
      publish(log.get(5));
      publish(log.get(2));
      publish(log.get(7));

      List<JsonObject> got = bob.messages("user:rec-bob", 8);
      for (int i = 0; i < 8; i++) {
        assertEquals(i + 1, got.get(i).getLong("seq"));
        assertEquals(i + 1, got.get(i).getInteger("body"));
      }
      StoredMessage after = append("user:rec-bob", 9);
      publish(after);
      assertEquals(9L, bob.messages("user:rec-bob", 1).get(0).getLong("seq"), "a duplicate was delivered");
    }
  }

  @Test
  void tenConcurrentSendersToOneRecipientArriveOnceEachInSeqOrder() throws Exception {
    int senders = 10;
    int each = 100;
    try (WsClient bob = NODE.node().login("conc-bob")) {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        clients.add(NODE.node().login("conc-sender-" + i));
      }
      Senders.concurrently(clients, "user:conc-bob", each);
      List<JsonObject> got = bob.messages("user:conc-bob", senders * each);
      for (int i = 0; i < got.size(); i++) {
        assertEquals(i + 1, got.get(i).getLong("seq"));
      }
      clients.forEach(WsClient::close);
    }
  }

  private static StoredMessage append(String stream, int body) {
    return NODE.node().services().store().append(new AppendRequest(stream, "rec-alice", String.valueOf(body), null))
        .await().message();
  }

  private static void publish(StoredMessage m) {
    NODE.node().services().bus().publish(Delivery.message(m, 0));
  }
}
