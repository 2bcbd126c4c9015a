package io.switchboard.gateway;

import io.switchboard.NodeParts;
import io.switchboard.store.MessageLog;
import io.switchboard.store.MutableClock;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream that starts over (its store lost it, or it was idle past its life) starts a new epoch.
 * Whoever held a position in the old history is told {@code reset} and gets the new one from seq 1:
 * live sessions, clients resuming with their position, devices resuming from their cursor. Before
 * epochs, the new seqs 1, 2, ... were taken for duplicates of the old ones and silently dropped.
 */
class EpochTest {

  static final long RETENTION_SECONDS = 60;
  static RedisServer redis;
  static MutableClock clock = new MutableClock(Instant.now());
  static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServer.ephemeral().start();
    node = TestNode.start(new JsonObject()
        .put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("retention", new JsonObject().put("maxAgeSeconds", RETENTION_SECONDS)), NodeParts.defaults().withClock(clock));
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.close();
  }

  @Test
  void aLiveSessionIsToldTheStreamStartedOverWhenItsStoreLostItAndGetsTheNewMessages() {
    try (WsClient alice = node.login("ep-alice"); WsClient bob = node.login("ep-bob")) {
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:ep-bob", "old " + i, null);
      }
      assertEquals(3L, bob.messages("user:ep-bob", 3).get(2).getLong("seq"));

      redis.call("FLUSHALL");
      assertEquals("sent", alice.sendTo("user:ep-bob", "new 1", null).getString("type"));

      JsonObject reset = bob.await(f -> "reset".equals(f.getString("type")) && "user:ep-bob".equals(f.getString("stream")));
      JsonObject first = bob.messages("user:ep-bob", 1).get(0);
      assertEquals(1L, first.getLong("seq"));
      assertEquals("new 1", first.getString("body"));
      assertTrue(!reset.getString("epoch").isEmpty());
    }
  }

  @Test
  void aClientResumingWithAPositionOfTheOldHistoryGetsTheWholeNewOne() {
    String bobToken = Tokens.user("ep2-bob").sign();
    JsonObject position;
    try (WsClient alice = node.login("ep2-alice"); WsClient bob = node.connect()) {
      bob.hello(bobToken, null, null);
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:ep2-bob", "old " + i, null);
      }
      List<JsonObject> old = bob.messages("user:ep2-bob", 3);
      String epoch = bob.await(f -> "reset".equals(f.getString("type"))).getString("epoch");
      position = new JsonObject().put("seq", old.get(2).getLong("seq")).put("epoch", epoch);
    }
    redis.call("FLUSHALL");
    try (WsClient alice = node.login("ep2-alice")) {
      for (int i = 1; i <= 5; i++) {
        assertEquals("sent", alice.sendTo("user:ep2-bob", "new " + i, null).getString("type"));
      }
    }
    try (WsClient bob = node.connect()) {
      JsonObject welcome = bob.hello(bobToken, null, new JsonObject().put("user:ep2-bob", position));
      assertNotEquals(position.getString("epoch"), welcome.getJsonObject("streams").getJsonObject("user:ep2-bob").getString("epoch"));
      JsonObject reset = bob.next();
      assertEquals("reset", reset.getString("type"), "the reset comes before anything of the stream");
      assertEquals(welcome.getJsonObject("streams").getJsonObject("user:ep2-bob").getString("epoch"), reset.getString("epoch"));
      List<JsonObject> replayed = bob.messages("user:ep2-bob", 5);
      for (int i = 0; i < 5; i++) {
        assertEquals("new " + (i + 1), replayed.get(i).getString("body"));
      }
      JsonObject resumed = bob.await(f -> "resumed".equals(f.getString("type")) && "user:ep2-bob".equals(f.getString("stream")));
      assertEquals(1L, resumed.getLong("from"));
      assertEquals(5L, resumed.getLong("to"));
    }
  }

  @Test
  void aStreamIdlePastItsLifeStartsOverForLiveSessionsAndForDevicesResumingFromTheirCursor() {
    String bobToken = Tokens.user("ep3-bob").sign();
    try (WsClient alice = node.login("ep3-alice"); WsClient bob = node.connect(); WsClient phone = node.connect()) {
      bob.hello(bobToken, null, null);
      phone.hello(bobToken, "phone", null);
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:ep3-bob", "old " + i, null);
      }
      bob.messages("user:ep3-bob", 3);
      phone.messages("user:ep3-bob", 3);
      phone.send(new JsonObject().put("type", "ack").put("stream", "user:ep3-bob").put("seq", 3));
      phone.close();

      clock.advance(Duration.ofMillis(RETENTION_SECONDS * 1000 + MessageLog.IDLE_GRACE_MS + 1));
      for (int i = 1; i <= 2; i++) {
        assertEquals("sent", alice.sendTo("user:ep3-bob", "new " + i, null).getString("type"));
      }
      bob.await(f -> "reset".equals(f.getString("type")) && "user:ep3-bob".equals(f.getString("stream")));
      List<JsonObject> live = bob.messages("user:ep3-bob", 2);
      assertEquals(List.of(1L, 2L), List.of(live.get(0).getLong("seq"), live.get(1).getLong("seq")));
    }
    try (WsClient phone = node.connect()) {
      // no resume map: the device's cursor (3 of the old epoch) is its position
      phone.hello(bobToken, "phone", null);
      phone.await(f -> "reset".equals(f.getString("type")) && "user:ep3-bob".equals(f.getString("stream")));
      List<JsonObject> replayed = phone.messages("user:ep3-bob", 2);
      assertEquals("new 1", replayed.get(0).getString("body"));
      assertEquals("new 2", replayed.get(1).getString("body"));
    }
  }
}
