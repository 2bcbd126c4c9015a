package io.switchboard.gateway;

import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoomTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void membersOfARoomGetItsMessagesAndEachOthersPresence() {
    try (WsClient alice = NODE.node().login("r1-alice")) {
      JsonObject joined = alice.join("r1");
      assertEquals("joined", joined.getString("type"));
      assertEquals("r1", joined.getString("room"));
      assertEquals(0L, joined.getLong("head"));
      assertEquals(new JsonArray().add("r1-alice"), joined.getJsonArray("online"));

      WsClient bob = NODE.node().login("r1-bob");
      JsonObject bobJoined = bob.join("r1");
      assertEquals(2, bobJoined.getInteger("onlineCount"));
      assertEquals(presence("r1", "r1-bob", "online"), alice.awaitType("presence"));

      alice.sendTo("room:r1", "hello room", null);
      for (WsClient c : List.of(alice, bob)) {
        JsonObject m = c.messages("room:r1", 1).get(0);
        assertEquals("r1-alice", m.getString("from"));
        assertEquals(1L, m.getLong("seq"));
      }

      bob.close();
      assertEquals(presence("r1", "r1-bob", "offline"), alice.awaitType("presence"));

      // membership outlives the connection: bob comes back, alice sees him online without a join
      WsClient bobAgain = NODE.node().connect();
      JsonObject welcome = bobAgain.hello(Tokens.user("r1-bob").sign(), null, null);
      JsonObject room = welcome.getJsonObject("streams").getJsonObject("room:r1");
      assertEquals(1L, room.getLong("head"));
      assertEquals(2, room.getInteger("onlineCount"));
      assertEquals(presence("r1", "r1-bob", "online"), alice.awaitType("presence"));
      bobAgain.close();
    }
  }

  @Test
  void aMemberSeesNoPresenceAboutThemselves() {
    try (WsClient alice = NODE.node().login("r2-alice"); WsClient alice2 = NODE.node().login("r2-alice")) {
      alice.join("r2");
      alice.sendTo("room:r2", "marker", null);
      // the second session follows the join: its first frame of the room is the message, not presence of itself
      JsonObject first = alice2.await(f -> List.of("message", "presence").contains(f.getString("type"))
          && ("room:r2".equals(f.getString("stream")) || "r2".equals(f.getString("room"))));
      assertEquals("message", first.getString("type"));
      assertEquals("marker", first.getString("body"));
    }
  }

  @Test
  void aJoinFromOneDeviceIsFollowedByTheOthers() {
    try (WsClient phone = NODE.node().login("r3-bob"); WsClient laptop = NODE.node().login("r3-bob"); WsClient carol = NODE.node().login("r3-carol")) {
      carol.join("r3");
      phone.join("r3");
      // the other device is told, without a ref since it asked nothing
      JsonObject told = laptop.awaitType("joined");
      assertEquals("r3", told.getString("room"));
      assertEquals(null, told.getValue("ref"));
      assertEquals(2, told.getInteger("onlineCount"));
      carol.sendTo("room:r3", "to both devices", null);
      assertEquals("to both devices", phone.messages("room:r3", 1).get(0).getString("body"));
      assertEquals("to both devices", laptop.messages("room:r3", 1).get(0).getString("body"));

      laptop.leave("r3");
      assertEquals(new JsonObject().put("type", "left").put("room", "r3"), phone.awaitType("left"));
      carol.sendTo("room:r3", "after leave", null);
      carol.messages("room:r3", 2);
      // neither device gets it; a direct message sent afterwards is the next thing each sees
      carol.sendTo("user:r3-bob", "dm marker", null);
      for (WsClient c : List.of(phone, laptop)) {
        JsonObject next = c.awaitType("message");
        assertEquals("dm marker", next.getString("body"), "device still received the room after leave");
      }
    }
  }

  @Test
  void joiningNeedsARoomClaimThatMatches() {
    try (WsClient c = NODE.node().connect()) {
      c.hello(Tokens.user("r4-eve").rooms("team-*", "lobby").sign(), null, null);
      assertEquals("joined", c.join("team-42").getString("type"));
      assertEquals("joined", c.join("lobby").getString("type"));
      JsonObject denied = c.join("secret");
      assertEquals("error", denied.getString("type"));
      assertEquals("forbidden", denied.getString("code"));
    }
  }

  @Test
  void sendingToARoomNeedsMembership() {
    try (WsClient outsider = NODE.node().login("r5-out"); WsClient member = NODE.node().login("r5-in")) {
      member.join("r5");
      JsonObject denied = outsider.sendTo("room:r5", "let me in", null);
      assertEquals("error", denied.getString("type"));
      assertEquals("forbidden", denied.getString("code"));
      outsider.join("r5");
      assertEquals("sent", outsider.sendTo("room:r5", "now a member", null).getString("type"));
      assertEquals("now a member", member.messages("room:r5", 1).get(0).getString("body"));
    }
  }

  @Test
  void theSendClaimReplacesTheDefaultRules() {
    try (WsClient bot = NODE.node().connect(); WsClient member = NODE.node().login("r6-in")) {
      member.join("r6");
      // a bot that may post into announcement rooms without being a member, and nowhere else
      bot.hello(Tokens.user("r6-bot").send("room:r6").sign(), null, null);
      assertEquals("sent", bot.sendTo("room:r6", "announcement", null).getString("type"));
      assertEquals("announcement", member.messages("room:r6", 1).get(0).getString("body"));
      assertEquals("forbidden", bot.sendTo("user:r6-in", "dm", null).getString("code"));
    }
  }

  @Test
  void joinedComesBeforeAnyMessageOfTheRoomEvenWhileItIsBusy() throws Exception {
    try (WsClient carol = NODE.node().login("busy-carol"); WsClient bob = NODE.node().login("busy-bob")) {
      carol.join("busy");
      java.util.concurrent.CompletableFuture<Void> traffic = java.util.concurrent.CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 150; i++) {
          carol.send(new JsonObject().put("type", "send").put("to", "room:busy").put("body", i));
        }
      });
      bob.send(new JsonObject().put("type", "join").put("ref", "j").put("room", "busy"));
      JsonObject first = bob.await(f -> "busy".equals(f.getString("room")) || "room:busy".equals(f.getString("stream")));
      assertEquals("joined", first.getString("type"), "a room message came before joined: " + first);
      traffic.get();
      // what follows joined is the room from its head on, in order
      long head = first.getLong("head");
      carol.sendTo("room:busy", "last", null);
      long expected = head + 1;
      while (true) {
        JsonObject m = bob.messages("room:busy", 1).get(0);
        assertEquals(expected++, m.getLong("seq"));
        if ("last".equals(m.getValue("body"))) {
          break;
        }
      }
    }
  }

  @Test
  void leaveIsIdempotent() {
    try (WsClient c = NODE.node().login("r7-alice")) {
      assertEquals("left", c.leave("never-joined").getString("type"));
    }
  }

  /** join {"room": "room:lobby"} used to answer joined for room:room:lobby, another room, without a word. */
  @Test
  void aStreamNameGivenAsARoomIdIsRefusedAndTheConnectionStays() {
    try (WsClient c = NODE.node().login("r8-alice")) {
      JsonObject join = c.join("room:r8");
      assertEquals("error", join.getString("type"), join.encode());
      assertEquals("bad_request", join.getString("code"));
      assertEquals("\"room\" is a room id such as r8, not a stream name such as room:r8", join.getString("message"));
      JsonObject asUser = c.join("user:r8-bob");
      assertEquals("bad_request", asUser.getString("code"), asUser.encode());
      assertEquals("\"room\" is a room id such as r8-bob, not a stream name such as user:r8-bob", asUser.getString("message"));
      JsonObject leave = c.leave("room:r8");
      assertEquals("bad_request", leave.getString("code"), leave.encode());

      // a colon elsewhere in the id is fine, and the connection goes on working
      assertEquals("team:r8", c.join("team:r8").getString("room"));
      assertEquals("sent", c.sendTo("room:team:r8", "colons inside", null).getString("type"));
      assertEquals("colons inside", c.messages("room:team:r8", 1).get(0).getString("body"));
    }
    // nothing was stored under the prefixed ids: a new session follows the rooms it joined, no others
    try (WsClient again = NODE.node().login("r8-alice")) {
      assertEquals(Set.of("user:r8-alice", "all", "room:team:r8"), again.welcome().getJsonObject("streams").fieldNames());
    }
  }

  private static JsonObject presence(String room, String user, String state) {
    return new JsonObject().put("type", "presence").put("room", room).put("user", user).put("state", state);
  }
}
