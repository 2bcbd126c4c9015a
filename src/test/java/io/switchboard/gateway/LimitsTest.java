package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitsTest {

  static final int MAX = 1024;
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject()
      .put("limits", new JsonObject().put("maxMessageBytes", MAX)
          .put("messagesPerSecond", 10).put("messagesBurst", 20).put("maxRateLimitedFrames", 5)));

  @Test
  void aFrameOverTheMaximumClosesWith1009() {
    try (WsClient c = NODE.node().login("lim-big")) {
      c.send(new JsonObject().put("type", "send").put("to", "user:lim-big").put("body", "x".repeat(MAX * 2)));
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), c.awaitClose());
    }
  }

  @Test
  void fragmentsAddingUpOverTheMaximumCloseWith1009() {
    try (WsClient c = NODE.node().login("lim-frag")) {
      String half = "x".repeat(MAX / 2 + 10);
      c.sendFrame(WebSocketFrame.textFrame("{\"type\":\"ping\",\"ref\":\"" + half, false));
      c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer(half + "\"}"), true));
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), c.awaitClose());
    }
  }

  @Test
  void fragmentsUnderTheMaximumAreReassembled() {
    try (WsClient c = NODE.node().login("lim-parts")) {
      c.sendFrame(WebSocketFrame.textFrame("{\"type\":\"ping\",", false));
      c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"ref\":\"in-two-"), false));
      c.sendFrame(WebSocketFrame.continuationFrame(Buffer.buffer("parts\"}"), true));
      assertEquals("pong", c.await(f -> "in-two-parts".equals(f.getValue("ref"))).getString("type"));
    }
  }

  @Test
  void invalidUtf8ClosesWith1007() {
    try (WsClient c = NODE.node().login("lim-utf8")) {
      // the public API only builds text frames from Strings, which are always valid UTF-8
      c.sendFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(io.vertx.core.http.WebSocketFrameType.TEXT,
          new byte[] {'"', (byte) 0xC3, (byte) 0x28, '"'}, true));
      assertEquals(CloseCode.INVALID_PAYLOAD.code(), c.awaitClose());
    }
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    try (WsClient c = NODE.node().login("lim-bin")) {
      c.sendBinary(Buffer.buffer(new byte[] {1, 2, 3}));
      assertEquals(CloseCode.UNSUPPORTED_DATA.code(), c.awaitClose());
    }
  }

  @Test
  void garbageGetsAnErrorFrameAndTheConnectionKeepsWorking() {
    try (WsClient alice = NODE.node().login("lim-garbage"); WsClient bob = NODE.node().login("lim-garbage-bob")) {
      alice.sendText("{this is not json");
      JsonObject error = alice.awaitType("error");
      assertEquals("bad_request", error.getString("code"));
      assertEquals("frame is not a JSON object", error.getString("message"));

      alice.sendText("[1,2,3]");
      assertEquals("bad_request", alice.awaitType("error").getString("code"));

      alice.send(new JsonObject().put("type", "teleport").put("ref", "t1"));
      JsonObject unknown = alice.awaitType("error");
      assertEquals("t1", unknown.getString("ref"));
      assertEquals("unknown type \"teleport\"", unknown.getString("message"));

      alice.send(new JsonObject().put("type", "send").put("ref", "s1").put("to", "nowhere").put("body", 1));
      JsonObject badStream = alice.awaitType("error");
      assertEquals("s1", badStream.getString("ref"));
      assertEquals("bad_request", badStream.getString("code"));

      alice.send(new JsonObject().put("type", "ack").put("stream", "user:lim-garbage").put("seq", -5));
      assertEquals("bad_request", alice.awaitType("error").getString("code"));

      assertEquals("sent", alice.sendTo("user:lim-garbage-bob", "still here", null).getString("type"));
      assertEquals("still here", bob.messages("user:lim-garbage-bob", 1).get(0).getString("body"));
    }
  }

  @Test
  void aFrameWithADuplicateKeyGetsAnErrorFrameAndTheConnectionKeepsWorking() {
    try (WsClient alice = NODE.node().login("lim-dup")) {
      // read as ping, the last key winning, it would have been answered with pong
      alice.sendText("{\"type\":\"send\",\"ref\":\"d1\",\"to\":\"user:lim-dup\",\"body\":1,\"type\":\"ping\"}");
      assertBadRequest(alice, "duplicate key \"type\": a key may appear once per object");
      alice.sendText("{\"type\":\"send\",\"to\":\"user:lim-dup\",\"body\":{\"a\":{\"b\":1,\"b\":2}}}");
      assertBadRequest(alice, "duplicate key \"b\": a key may appear once per object");

      assertEquals("sent", alice.sendTo("user:lim-dup", "still here", null).getString("type"));
      assertEquals("still here", alice.messages("user:lim-dup", 1).get(0).getString("body"));
      // resumed frames of the hello, and the reset that gives the new stream its epoch
      List<JsonObject> others = alice.drain().stream().filter(f -> !"resumed".equals(f.getString("type")) && !"reset".equals(f.getString("type"))).toList();
      assertEquals(List.of(), others, "nothing else came: no pong, no message with body 1");
    }
  }

  private static void assertBadRequest(WsClient c, String message) {
    JsonObject error = c.awaitType("error");
    assertEquals(new JsonObject().put("type", "error").put("code", "bad_request").put("message", message), error);
  }

  @Test
  void aFirstFrameWithADuplicateKeyClosesWith4400() {
    String token = Tokens.user("lim-dup-first").sign();
    try (WsClient c = NODE.node().connect()) {
      c.sendText("{\"type\":\"hello\",\"token\":\"" + token + "\",\"token\":\"" + token + "\"}");
      assertEquals(CloseCode.PROTOCOL_VIOLATION.code(), c.awaitClose());
      assertEquals("first frame must be a valid hello: duplicate key \"token\": a key may appear once per object", c.closeReason());
    }
  }

  @Test
  void aFirstFrameThatIsNotHelloClosesWith4400() {
    try (WsClient c = NODE.node().connect()) {
      c.send(new JsonObject().put("type", "send").put("to", "user:x").put("body", 1));
      assertEquals(CloseCode.PROTOCOL_VIOLATION.code(), c.awaitClose());
    }
    try (WsClient c = NODE.node().connect()) {
      c.sendText("not even json");
      assertEquals(CloseCode.PROTOCOL_VIOLATION.code(), c.awaitClose());
    }
  }

  @Test
  void aFloodIsRefusedThenClosedWith4429() {
    try (WsClient c = NODE.node().connect()) {
      c.hello(Tokens.user("lim-flood").sign(), null, null);
      for (int i = 0; i < 100 && c.trySendText("{\"type\":\"ping\",\"ref\":" + i + "}"); i++) {
        // flood until the server closes
      }
      JsonObject limited = c.await(f -> "error".equals(f.getString("type")));
      assertEquals("rate_limited", limited.getString("code"));
      assertEquals(CloseCode.RATE_LIMITED.code(), c.awaitClose());
    }
  }

  @Test
  void aClientWithinTheRateIsNotLimited() {
    try (WsClient c = NODE.node().login("lim-polite")) {
      for (int i = 0; i < 15; i++) {
        c.send(new JsonObject().put("type", "ping").put("ref", i));
        int ref = i;
        assertEquals("pong", c.await(f -> Integer.valueOf(ref).equals(f.getValue("ref"))).getString("type"));
      }
      assertFalse(c.isClosed());
      assertTrue(c.drain().stream().noneMatch(f -> "error".equals(f.getString("type"))));
    }
  }
}
