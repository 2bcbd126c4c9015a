package io.switchboard.gateway;

import io.switchboard.support.RawWebSocket;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mobile clients on slow links send hello and what follows it back to back. Here the frames after
 * hello go out in the same TCP write as hello, so the node has them in hand while it is still
 * handling hello (on Redis, hello waits for the store): none of them may be answered before
 * welcome, and a join of a room the hello resumes must not move the room's start past the resume
 * position.
 */
class PipelinedFramesTest {

  static RedisServer redis;
  static TestNode node;

  @BeforeAll
  static void start() {
    redis = RedisServer.ephemeral().start();
    node = TestNode.start(new JsonObject().put("store", new JsonObject().put("type", "redis"))
        .put("redis", new JsonObject().put("url", redis.url())));
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.close();
  }

  @Test
  void framesSentWithHelloAreHandledAfterTheResumeIsSetUp() throws Exception {
    String bobToken = Tokens.user("pl-bob").rooms("pl-*").sign();
    JsonObject room;
    String aliceToken = Tokens.user("pl-alice").rooms("pl-*").sign();
    try (WsClient bob = node.connect(); WsClient alice = node.connect()) {
      bob.hello(bobToken, null, null);
      bob.join("pl-room");
      alice.hello(aliceToken, null, null);
      alice.join("pl-room");
      assertEquals("sent", alice.sendTo("room:pl-room", "one", null).getString("type"));
      room = bob.messages("room:pl-room", 1).get(0);
    }
    try (WsClient alice = node.connect()) {
      alice.hello(aliceToken, null, null);
      for (String body : List.of("two", "three", "four")) {
        assertEquals("sent", alice.sendTo("room:pl-room", body, null).getString("type"));
      }
    }
    JsonObject resume = new JsonObject().put("room:pl-room", room.getLong("seq"));
    try (RawWebSocket raw = RawWebSocket.connect(node.port())) {
      byte[] burst = frame(new JsonObject().put("type", "hello").put("token", bobToken).put("resume", resume));
      burst = RawWebSocket.concat(burst, frame(new JsonObject().put("type", "join").put("ref", "j1").put("room", "pl-room")));
      burst = RawWebSocket.concat(burst, frame(new JsonObject().put("type", "send").put("ref", "s1").put("to", "room:pl-room")
          .put("body", "five")));
      burst = RawWebSocket.concat(burst, frame(new JsonObject().put("type", "ping").put("ref", "p1")));
      raw.sendRaw(burst);

      assertEquals("welcome", new JsonObject(raw.readText()).getString("type"), "welcome comes first");
      List<JsonObject> frames = new ArrayList<>();
      boolean joined = false;
      boolean sent = false;
      boolean ponged = false;
      List<String> bodies = new ArrayList<>();
      while (!(joined && sent && ponged && bodies.size() == 4)) {
        JsonObject f = new JsonObject(raw.readText());
        frames.add(f);
        switch (f.getString("type")) {
          case "joined" -> joined = "j1".equals(f.getString("ref"));
          case "sent" -> sent = "s1".equals(f.getString("ref"));
          case "pong" -> ponged = "p1".equals(f.getString("ref"));
          case "message" -> {
            if ("room:pl-room".equals(f.getString("stream"))) {
              bodies.add(f.getString("body"));
            }
          }
          case "error" -> throw new AssertionError("a pipelined frame was refused: " + f.encode() + " after " + frames);
          default -> { }
        }
      }
      assertEquals(List.of("two", "three", "four", "five"), bodies,
          "the room resumed after seq " + room.getLong("seq") + ", the join did not move its start: " + frames);
    }
  }

  private static byte[] frame(JsonObject o) {
    return RawWebSocket.frame(true, 0, RawWebSocket.TEXT, o.encode().getBytes(StandardCharsets.UTF_8));
  }
}
