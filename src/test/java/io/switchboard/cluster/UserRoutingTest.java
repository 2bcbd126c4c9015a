package io.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.switchboard.routing.Addresses;
import io.switchboard.support.HeldPresence;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages to a user's address go to the nodes presence counts the user's sessions on, and a
 * connect writes nothing to Vert.x's cluster-wide registration table (docs/architecture.md, "What a
 * connect costs each node").
 *
 * <p>The repair sweep runs once a minute here, longer than any wait of these tests: what reaches a
 * session reached it live (or through the gap it revealed), not from the sweep that would hide a
 * routing miss.
 */
class UserRoutingTest {

  static final HeldPresence HELD = new HeldPresence();
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3, new JsonObject()
        .put("delivery", new JsonObject().put("repairIntervalMs", 60_000))
        .put("limits", new JsonObject().put("messagesPerSecond", 1_000).put("messagesBurst", 1_000)), HELD);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aConnectRegistersNoClusterWideConsumerForItsUserStream() {
    try (WsClient alice = cluster.node(1).login("ur-reg-alice")) {
      alice.join("ur-reg-room");
      Set<String> addresses = new HashSet<>();
      hazelcast(cluster.node(0)).getMultiMap("__vertx.subs").keySet().forEach(k -> addresses.add((String) k));
      assertTrue(addresses.contains(Addresses.stream("room:ur-reg-room")), "rooms are clustered consumers: " + addresses);
      assertFalse(addresses.contains(Addresses.stream("user:ur-reg-alice")), "a user stream was registered cluster-wide");
    }
  }

  @Test
  void aUsersSessionsOnEveryNodeGetEveryMessageOnceInOrder() {
    List<WsClient> sessions = new ArrayList<>();
    for (TestNode node : cluster.nodes()) {
      sessions.add(node.login("ur-dora"));
    }
    try (WsClient sender = cluster.node(0).login("ur-sender")) {
      int count = 200;
      // pipelined, so that lookups of the recipient's nodes overlap and may answer out of order
      for (int i = 1; i <= count; i++) {
        sender.send(new JsonObject().put("type", "send").put("ref", "r" + i).put("to", "user:ur-dora").put("body", i));
      }
      long first = 0;
      long last = 0;
      for (int i = 1; i <= count; i++) {
        String ref = "r" + i;
        JsonObject sent = sender.await(f -> ref.equals(f.getValue("ref")));
        assertEquals("sent", sent.getString("type"), sent.encode());
        last = sent.getLong("seq");
        first = i == 1 ? last : first;
      }
      assertEquals(count - 1, last - first, "the store gave seqs with holes");
      for (WsClient s : sessions) {
        assertGetsOnceInOrder(s, "user:ur-dora", first, last);
      }
    } finally {
      sessions.forEach(WsClient::close);
    }
  }

  /**
   * The race routing by presence must win: a session that connects while messages to its user
   * flow gets every message after its welcome's head, the last one included (nothing after it
   * would reveal its loss), on whichever node it connects.
   */
  @Test
  void sessionsConnectingWhileMessagesFlowGetEveryMessageAfterTheirHead() throws Exception {
    String user = "ur-erin";
    String stream = "user:" + user;
    int count = 400;
    List<Long> seqs = new ArrayList<>();
    CompletableFuture<Void> sending = new CompletableFuture<>();
    List<WsClient> sessions = new ArrayList<>();
    try (WsClient sender = cluster.node(0).login("ur-sender-2")) {
      Thread t = new Thread(() -> {
        try {
          // batches of 10 in flight, so that sends span the connects below
          for (int i = 1; i <= count; i += 10) {
            for (int j = i; j < i + 10; j++) {
              sender.send(new JsonObject().put("type", "send").put("ref", "e" + j).put("to", stream).put("body", j));
            }
            for (int j = i; j < i + 10; j++) {
              String ref = "e" + j;
              JsonObject sent = sender.await(f -> ref.equals(f.getValue("ref")));
              assertEquals("sent", sent.getString("type"), sent.encode());
              synchronized (seqs) {
                seqs.add(sent.getLong("seq"));
              }
            }
          }
          sending.complete(null);
        } catch (Throwable e) {
          sending.completeExceptionally(e);
        }
      }, "ur-sender");
      t.start();
      for (int i = 0; !sending.isDone() && i < 12; i++) {
        sessions.add(cluster.node(i % 3).login(user));
      }
      sending.get(60, TimeUnit.SECONDS);
      long last = seqs.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(sessions.size() >= 2, "the sends ended before two sessions connected: " + sessions.size());
      for (WsClient s : sessions) {
        long head = s.welcome().getJsonObject("streams").getJsonObject(stream).getLong("head");
        assertGetsOnceInOrder(s, stream, head + 1, last);
      }
    } finally {
      sessions.forEach(WsClient::close);
    }
  }

  /**
   * The same race, held open: a message stored and routed while a new session of its user waits to
   * be counted must reach that session, or be below the head its welcome gives.
   */
  @Test
  void aMessageRoutedWhileASessionWaitsToBeCountedReachesItOrIsBelowItsHead() throws Exception {
    String user = "ur-fay";
    String stream = "user:" + user;
    try (WsClient sender = cluster.node(0).login("ur-sender-3");
         WsClient elsewhere = cluster.node(2).login(user);
         WsClient joining = cluster.node(1).connect()) {
      HeldPresence.Hold hold = HELD.hold(user);
      joining.send(new JsonObject().put("type", "hello").put("token", Tokens.user(user).sign()));
      hold.asked().get(20, TimeUnit.SECONDS);
      JsonObject sent = sender.sendTo(stream, "while counting", null);
      assertEquals("sent", sent.getString("type"), sent.encode());
      long seq = sent.getLong("seq");
      // the session on node 2 has it: the message's route was looked up while node 1 had not counted
      assertEquals(seq, elsewhere.messages(stream, 1).get(0).getLong("seq"));
      hold.release();
      JsonObject welcome = joining.expect("welcome");
      long head = welcome.getJsonObject("streams").getJsonObject(stream).getLong("head");
      if (head < seq) {
        assertEquals(seq, joining.messages(stream, 1).get(0).getLong("seq"), "the message after the head never came");
      }
      // and the next message, routed once the session is counted, comes live
      long next = sender.sendTo(stream, "after", null).getLong("seq");
      List<JsonObject> got = joining.messages(stream, 1);
      assertEquals(next, got.get(got.size() - 1).getLong("seq"));
    }
  }

  @Test
  void theCounterOfFailedLookupsIsExported() {
    // documented in docs/operations.md; zero while the cluster is healthy
    assertTrue(cluster.node(0).http().get("/metrics").body().contains("switchboard_route_lookups_failed_total 0.0"),
        "the counter of failed route lookups is not exported");
  }

  /** The session receives the messages {@code from} to {@code to} of the stream, each once, in order. */
  static void assertGetsOnceInOrder(WsClient s, String stream, long from, long to) {
    int count = (int) (to - from + 1);
    List<JsonObject> got = count <= 0 ? List.of() : s.messages(stream, count);
    for (int i = 0; i < count; i++) {
      assertEquals(from + i, got.get(i).getLong("seq"), "a session expecting " + from + " to " + to
          + " missed one or got it out of order: " + got.get(i));
    }
    assertTrue(s.drain().stream().noneMatch(f -> "message".equals(f.getString("type"))), "a message came twice");
  }

  static HazelcastInstance hazelcast(TestNode node) {
    return ((HazelcastClusterManager) ((VertxInternal) node.vertx()).clusterManager()).getHazelcastInstance();
  }
}
