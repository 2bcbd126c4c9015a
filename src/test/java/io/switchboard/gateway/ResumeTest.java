package io.switchboard.gateway;

import io.switchboard.support.SharedNode;
import io.switchboard.support.TestNode;
import io.switchboard.store.Position;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResumeTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void aRetriedSendWithTheSameIdAppendsOnce() {
    try (WsClient alice = NODE.node().login("id-alice"); WsClient bob = NODE.node().login("id-bob")) {
      JsonObject first = alice.sendTo("user:id-bob", "once", "msg-1");
      JsonObject retry = alice.sendTo("user:id-bob", "once", "msg-1");
      assertEquals("sent", retry.getString("type"));
      assertEquals(first.getLong("seq"), retry.getLong("seq"));
      assertEquals("msg-1", retry.getString("id"));

      alice.sendTo("user:id-bob", "marker", null);
      List<JsonObject> got = bob.messages("user:id-bob", 2);
      assertEquals("msg-1", got.get(0).getString("id"));
      assertEquals("marker", got.get(1).getString("body"), "the retry was delivered as a second message");
      assertEquals(first.getLong("seq") + 1, got.get(1).getLong("seq"), "the retry consumed a seq");
    }
  }

  @Test
  void theIdIsScopedToTheSender() {
    try (WsClient alice = NODE.node().login("ids-alice"); WsClient carol = NODE.node().login("ids-carol")) {
      long a = alice.sendTo("user:ids-bob", "from alice", "same-id").getLong("seq");
      long c = carol.sendTo("user:ids-bob", "from carol", "same-id").getLong("seq");
      assertEquals(a + 1, c);
    }
  }

  @Test
  void messagesSentWhileOfflineArriveOnResumeExactlyOnceInOrderThenLive() {
    try (WsClient alice = NODE.node().login("off-alice")) {
      WsClient bob = NODE.node().connect();
      bob.hello(Tokens.user("off-bob").sign(), "phone", null);
      alice.sendTo("user:off-bob", "before", null);
      long lastSeen = bob.messages("user:off-bob", 1).get(0).getLong("seq");
      bob.close();

      for (int i = 0; i < 50; i++) {
        alice.sendTo("user:off-bob", "offline " + i, null);
      }

      try (WsClient back = NODE.node().connect()) {
        back.hello(Tokens.user("off-bob").sign(), "phone", new JsonObject().put("user:off-bob", lastSeen));
        List<JsonObject> replayed = back.messages("user:off-bob", 50);
        for (int i = 0; i < 50; i++) {
          assertEquals(lastSeen + 1 + i, replayed.get(i).getLong("seq"));
          assertEquals("offline " + i, replayed.get(i).getString("body"));
        }
        JsonObject resumed = back.await(f -> "resumed".equals(f.getString("type")) && "user:off-bob".equals(f.getString("stream")));
        assertEquals(lastSeen + 1, resumed.getLong("from"));
        assertEquals(lastSeen + 50, resumed.getLong("to"));

        alice.sendTo("user:off-bob", "live again", null);
        JsonObject live = back.messages("user:off-bob", 1).get(0);
        assertEquals("live again", live.getString("body"), "a replayed message came twice or one is missing");
        assertEquals(lastSeen + 51, live.getLong("seq"));
      }
    }
  }

  @Test
  void withoutAResumeMapTheDevicesStoredCursorIsUsed() {
    try (WsClient alice = NODE.node().login("cur-alice")) {
      WsClient bob = NODE.node().connect();
      bob.hello(Tokens.user("cur-bob").sign(), "laptop", null);
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:cur-bob", "seen " + i, null);
      }
      bob.messages("user:cur-bob", 3);
      bob.send(new JsonObject().put("type", "ack").put("stream", "user:cur-bob").put("seq", 3));
      // an ack has no answer: a ping after it is answered after the ack was handled
      bob.send(new JsonObject().put("type", "ping").put("ref", "after-ack"));
      bob.await(f -> "after-ack".equals(f.getValue("ref")));
      bob.close();

      alice.sendTo("user:cur-bob", "missed 4", null);
      alice.sendTo("user:cur-bob", "missed 5", null);

      try (WsClient back = NODE.node().connect()) {
        back.hello(Tokens.user("cur-bob").sign(), "laptop", null);
        List<JsonObject> replayed = back.messages("user:cur-bob", 2);
        assertEquals(4L, replayed.get(0).getLong("seq"));
        assertEquals(5L, replayed.get(1).getLong("seq"));
      }
      try (WsClient fresh = NODE.node().connect()) {
        // another device of the same user has no cursor: it starts at the head
        JsonObject welcome = fresh.hello(Tokens.user("cur-bob").sign(), "new-tablet", null);
        assertEquals(5L, welcome.getJsonObject("streams").getJsonObject("user:cur-bob").getLong("head"));
        JsonObject resumed = fresh.await(f -> "resumed".equals(f.getString("type")) && "user:cur-bob".equals(f.getString("stream")));
        assertEquals(6L, resumed.getLong("from"));
        assertEquals(5L, resumed.getLong("to"));
      }
    }
  }

  @Test
  void aPositionAboveTheHeadMeansTheStreamStartedOverAndIsReplayedFromTheStart() {
    try (WsClient alice = NODE.node().login("reset-alice")) {
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:reset-bob", "new history " + i, null);
      }
      // bob held seq 50 of a history the store no longer has (an in-memory node that restarted)
      try (WsClient bob = NODE.node().connect()) {
        JsonObject welcome = bob.hello(Tokens.user("reset-bob").sign(), null, new JsonObject().put("user:reset-bob", 50));
        assertEquals(3L, welcome.getJsonObject("streams").getJsonObject("user:reset-bob").getLong("head"));
        List<JsonObject> replayed = bob.messages("user:reset-bob", 3);
        for (int i = 0; i < 3; i++) {
          assertEquals(i + 1, replayed.get(i).getLong("seq"));
        }
        JsonObject resumed = bob.await(f -> "resumed".equals(f.getString("type")) && "user:reset-bob".equals(f.getString("stream")));
        assertEquals(1L, resumed.getLong("from"));
        assertEquals(3L, resumed.getLong("to"));
      }
    }
  }

  @Test
  void aDeviceThatLeftBeforeAckingAnythingResumesFromWhereItStarted() {
    String token = Tokens.user("quiet-bob").sign();
    try (WsClient alice = NODE.node().login("quiet-alice")) {
      alice.sendTo("user:quiet-bob", "before bob's first connection", null);
      WsClient bob = NODE.node().connect();
      bob.hello(token, "tablet", null);
      bob.close();
      alice.sendTo("user:quiet-bob", "while away", null);
      try (WsClient back = NODE.node().connect()) {
        back.hello(token, "tablet", null);
        JsonObject missed = back.messages("user:quiet-bob", 1).get(0);
        assertEquals("while away", missed.getString("body"));
        assertEquals(2L, missed.getLong("seq"));
      }
    }
  }

  @Test
  void aDeviceCursorLeftAboveAStreamThatStartedOverIsRewritten() {
    String token = Tokens.user("stale-bob").sign();
    // a history lost under the device's cursor (an in-memory node that restarted, a Redis without
    // persistence): the device's cursor says 50, the stream now has 3 messages
    NODE.node().services().store().saveCursor("stale-bob", "phone", "user:stale-bob", new Position(50, 0)).await();
    try (WsClient alice = NODE.node().login("stale-alice")) {
      for (int i = 1; i <= 3; i++) {
        alice.sendTo("user:stale-bob", "new " + i, null);
      }
      WsClient bob = NODE.node().connect();
      bob.hello(token, "phone", null);
      List<JsonObject> replayed = bob.messages("user:stale-bob", 3);
      assertEquals(1L, replayed.get(0).getLong("seq"), "the new history is replayed from its start");
      bob.send(new JsonObject().put("type", "ack").put("stream", "user:stale-bob").put("seq", 3));
      bob.send(new JsonObject().put("type", "ping").put("ref", "acked"));
      bob.await(f -> "acked".equals(f.getValue("ref")));
      bob.close();

      alice.sendTo("user:stale-bob", "new 4", null);
      try (WsClient back = NODE.node().connect()) {
        back.hello(token, "phone", null);
        JsonObject next = back.messages("user:stale-bob", 1).get(0);
        assertEquals(4L, next.getLong("seq"), "the ack after the reset moved the cursor");
      }
    }
  }

  @Test
  void anAckBeyondWhatWasDeliveredIsRefused() {
    try (WsClient bob = NODE.node().login("ack-bob")) {
      bob.send(new JsonObject().put("type", "ack").put("stream", "user:ack-bob").put("seq", 99));
      JsonObject error = bob.awaitType("error");
      assertEquals("bad_request", error.getString("code"));
      bob.send(new JsonObject().put("type", "ack").put("stream", "room:not-mine").put("seq", 1));
      assertEquals("not_found", bob.awaitType("error").getString("code"));
    }
  }

  @Test
  void aResumeBelowWhatTheLogRetainsReportsTheExactGap() {
    JsonObject config = new JsonObject().put("retention", new JsonObject().put("maxMessages", 10));
    try (TestNode small = TestNode.start(config); WsClient alice = small.login("gap-alice")) {
      for (int i = 1; i <= 30; i++) {
        alice.sendTo("user:gap-bob", "m" + i, null);
      }
      try (WsClient bob = small.connect()) {
        bob.hello(Tokens.user("gap-bob").sign(), null, new JsonObject().put("user:gap-bob", 0));
        JsonObject gap = bob.expect("gap");
        assertEquals(new JsonObject().put("type", "gap").put("stream", "user:gap-bob").put("from", 1).put("to", 20), gap);
        List<JsonObject> kept = bob.messages("user:gap-bob", 10);
        for (int i = 0; i < 10; i++) {
          assertEquals(21 + i, kept.get(i).getLong("seq"));
        }
        JsonObject resumed = bob.await(f -> "resumed".equals(f.getString("type")) && "user:gap-bob".equals(f.getString("stream")));
        assertEquals(21L, resumed.getLong("from"));
        assertEquals(30L, resumed.getLong("to"));
      }
    }
  }

  @Test
  void aRoomsBacklogIsReplayedToAMemberWhoWasOffline() {
    try (WsClient alice = NODE.node().login("rb-alice")) {
      alice.join("rb-room");
      WsClient bob = NODE.node().connect();
      bob.hello(Tokens.user("rb-bob").sign(), "phone", null);
      bob.join("rb-room");
      bob.close();
      for (int i = 0; i < 5; i++) {
        alice.sendTo("room:rb-room", i, null);
      }
      try (WsClient back = NODE.node().connect()) {
        back.hello(Tokens.user("rb-bob").sign(), "phone", new JsonObject().put("room:rb-room", 0));
        List<JsonObject> replayed = back.messages("room:rb-room", 5);
        for (int i = 0; i < 5; i++) {
          assertEquals(i, replayed.get(i).getInteger("body"));
        }
      }
    }
  }
}
