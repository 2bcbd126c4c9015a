package io.switchboard.gateway;

import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that writes a send right behind its join (or leave) of the room, without waiting for the
 * answer, is answered as if it had waited: the send waits on the node until the membership is
 * recorded. On Redis, so that recording takes real round trips; a join the token allows is followed
 * at once, so the joins that make a send wait for long here are those the join proxy decides. What
 * waits is bounded.
 */
class RoomOrderTest {

  static final String SECRET = "room-order-backend-secret-0123456789abcdef";

  static RedisServer redis;
  static TestNode node;
  static final Vertx backendVertx = Vertx.vertx();
  /** Join proxy requests not answered yet; the proxy allows every join, when the test says. */
  static final List<HttpServerRequest> heldJoins = new CopyOnWriteArrayList<>();
  static HttpServer backend;

  @BeforeAll
  static void start() {
    redis = RedisServer.ephemeral().start();
    backend = backendVertx.createHttpServer().requestHandler(heldJoins::add).listen(0, "127.0.0.1").await();
    node = TestNode.start(new JsonObject().put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url()))
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(SECRET)))
        .put("proxy", new JsonObject().put("joinUrl", "http://127.0.0.1:" + backend.actualPort() + "/join")
            .put("joinTimeoutMs", 30_000)));
  }

  @AfterAll
  static void stop() {
    node.close();
    backendVertx.close().await();
    redis.close();
  }

  static JsonObject join(String ref, String room) {
    return new JsonObject().put("type", "join").put("ref", ref).put("room", room);
  }

  static JsonObject send(String ref, String room, Object body) {
    return new JsonObject().put("type", "send").put("ref", ref).put("to", "room:" + room).put("body", body);
  }

  @Test
  void aSendWrittenRightBehindItsJoinIsStoredAndOneBehindALeaveIsRefused() {
    try (WsClient c = node.connect(); WsClient peer = node.connect()) {
      c.hello(Tokens.user("ro-ann").rooms("ro-*").sign(), null, null);
      int rooms = 20;
      for (int i = 0; i < rooms; i++) {
        c.send(join("j" + i, "ro-" + i)).send(send("s" + i, "ro-" + i, i));
      }
      for (int i = 0; i < rooms; i++) {
        String sent = "s" + i;
        JsonObject answer = c.await(f -> sent.equals(f.getValue("ref")));
        assertEquals("sent", answer.getString("type"), "room " + i + ": " + answer.encode());
        assertEquals(1L, answer.getLong("seq"));
        // the join was answered first
        String joined = "j" + i;
        assertEquals("joined", c.await(f -> joined.equals(f.getValue("ref"))).getString("type"));
      }

      peer.hello(Tokens.user("ro-bo").rooms("ro-*").sign(), null, null);
      assertEquals("joined", peer.join("ro-0").getString("type"));
      c.send(new JsonObject().put("type", "leave").put("ref", "l0").put("room", "ro-0"))
          .send(send("after-leave", "ro-0", "too late"));
      JsonObject refused = c.await(f -> "after-leave".equals(f.getValue("ref")));
      assertEquals("forbidden", refused.getString("code"), refused.encode());
      assertEquals("left", c.await(f -> "l0".equals(f.getValue("ref"))).getString("type"));
      // nothing was stored: the peer's next message in the room is the one sent after joining again, seq 2
      assertEquals("joined", c.join("ro-0").getString("type"));
      assertEquals("sent", c.sendTo("room:ro-0", "back", null).getString("type"));
      JsonObject next = peer.messages("room:ro-0", 1).get(0);
      assertEquals("back", next.getString("body"), next.encode());
      assertEquals(2L, next.getLong("seq"), next.encode());
    }
  }

  @Test
  void sendsWaitingForAJoinAreBoundedAndTheRestGoOnceItIsAnswered() {
    try (WsClient c = node.connect()) {
      // the token allows no room: the join asks the backend, which holds it
      c.hello(Tokens.user("ro-cid").rooms("none-*").sign(), null, null);
      c.send(join("j", "ro-held"));
      int sends = RoomOrder.MAX_WAITING + 1;
      for (int i = 0; i < sends; i++) {
        c.send(send("s" + i, "ro-held", i));
      }
      String over = "s" + RoomOrder.MAX_WAITING;
      JsonObject refused = c.await(f -> over.equals(f.getValue("ref")));
      assertEquals("unavailable", refused.getString("code"), refused.encode());
      assertTrue(refused.getString("message").contains("retry with the same id"), refused.encode());
      List<JsonObject> answered = c.drain().stream().filter(f -> f.containsKey("ref")).toList();
      assertEquals(List.of(), answered, "nothing else answered while the join waits");

      RedisServer.await("the join proxy to be asked", 20_000, () -> heldJoins.size() == 1);
      heldJoins.forEach(r -> r.response().setStatusCode(204).end());
      assertEquals("joined", c.await(f -> "j".equals(f.getValue("ref"))).getString("type"));
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < RoomOrder.MAX_WAITING; i++) {
        String ref = "s" + i;
        JsonObject answer = c.await(f -> ref.equals(f.getValue("ref")));
        assertEquals("sent", answer.getString("type"), answer.encode());
        seqs.add(answer.getLong("seq"));
      }
      List<Long> inOrder = new ArrayList<>();
      for (long seq = 1; seq <= RoomOrder.MAX_WAITING; seq++) {
        inOrder.add(seq);
      }
      assertEquals(inOrder, seqs, "stored in the order sent");
    }
  }
}
