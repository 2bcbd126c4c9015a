package io.switchboard.cluster;

import io.switchboard.store.AppendRequest;
import io.switchboard.support.Senders;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Three clustered nodes (own Vert.x and Hazelcast member each) sharing one store. */
class ClusterTest {

  static TestCluster cluster;
  static TestNode a;
  static TestNode b;
  static TestNode c;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, new JsonObject().put("limits", new JsonObject().put("messagesBurst", 1000)));
    a = cluster.node(0);
    b = cluster.node(1);
    c = cluster.node(2);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aDirectMessageFromNodeAReachesAUserOnNodeC() {
    try (WsClient alice = a.login("cl-alice"); WsClient bob = c.login("cl-bob")) {
      assertNotEquals(alice.welcome().getString("node"), bob.welcome().getString("node"));
      alice.sendTo("user:cl-bob", "across the cluster", null);
      JsonObject got = bob.messages("user:cl-bob", 1).get(0);
      assertEquals("cl-alice", got.getString("from"));
      assertEquals("across the cluster", got.getString("body"));
    }
  }

  @Test
  void aUserWithDevicesOnTwoNodesGetsEverythingOnBothInTheSameOrder() {
    try (WsClient phone = b.login("md-bob"); WsClient laptop = c.login("md-bob");
         WsClient alice = a.login("md-alice"); WsClient carol = b.login("md-carol")) {
      for (int i = 0; i < 30; i++) {
        (i % 2 == 0 ? alice : carol).send(new JsonObject().put("type", "send").put("to", "user:md-bob").put("body", i));
      }
      List<JsonObject> onPhone = phone.messages("user:md-bob", 30);
      List<JsonObject> onLaptop = laptop.messages("user:md-bob", 30);
      for (int i = 0; i < 30; i++) {
        assertEquals(i + 1, onPhone.get(i).getLong("seq"));
        assertEquals(onPhone.get(i).encode(), onLaptop.get(i).encode());
      }
    }
  }

  @Test
  void aRoomWithMembersOnEveryNodeReachesThemAll() {
    List<WsClient> members = List.of(a.login("rm-1"), b.login("rm-2"), c.login("rm-3"), c.login("rm-4"));
    try {
      members.forEach(m -> m.join("all-nodes"));
      members.get(0).sendTo("room:all-nodes", "hello everyone", null);
      members.get(3).sendTo("room:all-nodes", "hello back", null);
      for (WsClient m : members) {
        List<JsonObject> got = m.messages("room:all-nodes", 2);
        assertEquals("hello everyone", got.get(0).getString("body"));
        assertEquals("hello back", got.get(1).getString("body"));
      }
    } finally {
      members.forEach(WsClient::close);
    }
  }

  @Test
  void aBroadcastReachesEveryNode() {
    String adminToken = Tokens.user("bc-admin").broadcast(true).sign();
    List<WsClient> users = List.of(a.login("bc-1"), b.login("bc-2"), c.login("bc-3"));
    try (WsClient admin = b.connect()) {
      admin.hello(adminToken, null, null);
      long seq = admin.sendTo("all", "to all nodes", null).getLong("seq");
      for (WsClient u : users) {
        JsonObject got = u.messages("all", 1).get(0);
        assertEquals(seq, got.getLong("seq"));
      }
    } finally {
      users.forEach(WsClient::close);
    }
  }

  @Test
  void tenSendersOnDifferentNodesToOneRecipientArriveExactlyOnceInSeqOrder() throws Exception {
    int senders = 10;
    int each = 100;
    try (WsClient bob = b.login("conc-bob")) {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i < senders; i++) {
        clients.add(cluster.node(i % 3).login("conc-sender-" + i));
      }
      Senders.concurrently(clients, "user:conc-bob", each);
      List<JsonObject> got = bob.messages("user:conc-bob", senders * each);
      for (int i = 0; i < got.size(); i++) {
        assertEquals(i + 1, got.get(i).getLong("seq"));
      }
      clients.forEach(WsClient::close);
    }
  }

  @Test
  void presenceCountsSessionsOnEveryNode() {
    try (WsClient alice = a.login("pr-alice")) {
      alice.join("pr-room");
      WsClient bobOnB = b.login("pr-bob");
      bobOnB.join("pr-room");
      assertEquals(presence("pr-room", "pr-bob", "online"), alice.awaitType("presence"));
      WsClient bobOnC = c.login("pr-bob");
      assertEquals(2, bobOnC.welcome().getJsonObject("streams").getJsonObject("room:pr-room").getInteger("onlineCount"));
      bobOnB.close();
      bobOnC.close();
      // one offline, and only after the last session anywhere: no event came for the first close
      assertEquals(presence("pr-room", "pr-bob", "offline"), alice.awaitType("presence"));
    }
  }

  /** A first session is counted in its rooms by the call that also tells the welcome's lists. */
  @Test
  void aFirstSessionsWelcomeListsItsRoomsOnlineMembersWithTheUserAmongThem() {
    try (WsClient alice = a.login("wl-alice")) {
      alice.join("wl-room");
      try (WsClient bob = b.login("wl-bob")) {
        bob.join("wl-room");
        assertEquals(presence("wl-room", "wl-bob", "online"), alice.awaitType("presence"));
      }
      assertEquals(presence("wl-room", "wl-bob", "offline"), alice.awaitType("presence"));
      try (WsClient bob = c.login("wl-bob")) {
        JsonObject room = bob.welcome().getJsonObject("streams").getJsonObject("room:wl-room");
        assertEquals(2, room.getInteger("onlineCount"), room.encode());
        assertEquals(List.of("wl-alice", "wl-bob"), room.getJsonArray("online").getList(), "in the order they came");
        assertEquals(presence("wl-room", "wl-bob", "online"), alice.awaitType("presence"));
      }
    }
  }

  @Test
  void aJoinOnOneNodeIsFollowedByTheUsersSessionOnAnother() {
    try (WsClient phone = a.login("jf-bob"); WsClient laptop = c.login("jf-bob"); WsClient carol = b.login("jf-carol")) {
      assertEquals("joined", carol.join("jf-room").getString("type"));
      JsonObject answer = phone.join("jf-room");
      assertEquals("joined", answer.getString("type"), "the join itself failed: " + answer);
      assertEquals("jf-room", laptop.awaitType("joined").getString("room"));
      carol.sendTo("room:jf-room", "to both nodes", null);
      assertEquals("to both nodes", laptop.messages("room:jf-room", 1).get(0).getString("body"));
      assertEquals("to both nodes", phone.messages("room:jf-room", 1).get(0).getString("body"));
    }
  }

  /**
   * A node learns of another node's new consumer a moment after it registered. A message appended
   * then, by a node that did not see the consumer yet, is here appended without being published at
   * all: the worst case. It must still arrive, without waiting for the room's next message.
   */
  @Test
  void aMessageThatNeverCameOverTheBusReachesAJustSubscribedSession() {
    try (WsClient dave = b.login("nb-dave")) {
      JsonObject joined = dave.join("nb-room");
      assertEquals("joined", joined.getString("type"), "the join failed: " + joined);
      cluster.store().append(new AppendRequest("room:nb-room", "nb-erin", "\"unpublished\"", null)).await();
      JsonObject got = dave.messages("room:nb-room", 1).get(0);
      assertEquals("unpublished", got.getString("body"));
      assertEquals(joined.getLong("head") + 1, got.getLong("seq"));
    }
  }

  private static JsonObject presence(String room, String user, String state) {
    return new JsonObject().put("type", "presence").put("room", room).put("user", user).put("state", state);
  }
}
