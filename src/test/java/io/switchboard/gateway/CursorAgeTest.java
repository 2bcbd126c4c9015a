package io.switchboard.gateway;

import io.switchboard.store.Position;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A phone that acked and then stayed away for longer than the retention age comes back with no
 * resume map: its cursor is still its position. It gets exactly what the log lost as a {@code gap}
 * and what the log still holds; it is not taken for a new device that starts at the head.
 */
class CursorAgeTest {

  @Test
  void aDeviceAwayLongerThanTheRetentionGetsAGapAndWhatTheLogStillHolds() {
    try (RedisServer redis = RedisServer.ephemeral().start();
         TestNode node = TestNode.start(new JsonObject()
             .put("store", new JsonObject().put("type", "redis"))
             .put("redis", new JsonObject().put("url", redis.url()))
             .put("retention", new JsonObject().put("maxAgeSeconds", 1)))) {
      String token = Tokens.user("age-bob").sign();
      try (WsClient alice = node.login("age-alice")) {
        try (WsClient phone = node.connect()) {
          phone.hello(token, "phone", null);
          alice.sendTo("user:age-bob", "seen", null);
          long seq = phone.messages("user:age-bob", 1).get(0).getLong("seq");
          phone.send(new JsonObject().put("type", "ack").put("stream", "user:age-bob").put("seq", seq));
          RedisServer.await("the ack to be stored", 10_000, () -> node.services().store()
              .cursors("age-bob", "phone", List.of("user:age-bob")).await()
              .getOrDefault("user:age-bob", Position.NONE).seq() == seq);
        }
        alice.sendTo("user:age-bob", "lost", null);
        // the retention age passes in Redis' own time too: the log expires after its last append
        RedisServer.await("the log of user:age-bob to expire", 10_000, () -> (Long) redis.call("EXISTS", "sb:{user:age-bob}:log") == 0);
        alice.sendTo("user:age-bob", "held", null);
      }

      try (WsClient phone = node.connect()) {
        phone.hello(token, "phone", null);
        JsonObject gap = phone.await(f -> "gap".equals(f.getString("type")) && "user:age-bob".equals(f.getString("stream")));
        assertEquals(Map.of("from", 2L, "to", 2L), Map.of("from", gap.getLong("from"), "to", gap.getLong("to")));
        JsonObject held = phone.messages("user:age-bob", 1).get(0);
        assertEquals(3L, held.getLong("seq"));
        assertEquals("held", held.getString("body"));
      }
    }
  }
}
