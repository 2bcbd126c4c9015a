package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.Deflate;
import io.switchboard.support.RawWebSocket;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;

import static io.switchboard.support.RawWebSocket.CONTINUATION;
import static io.switchboard.support.RawWebSocket.RSV1;
import static io.switchboard.support.RawWebSocket.RSV2;
import static io.switchboard.support.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** permessage-deflate with {@code http.compression}: negotiated, interoperable, and bounded against bombs. */
class CompressionTest {

  static final Map<String, String> OFFER = Map.of("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");
  @RegisterExtension
  static final SharedNode COMPRESSING = new SharedNode(new JsonObject().put("http", new JsonObject().put("compression", true)));
  @RegisterExtension
  static final SharedNode PLAIN = new SharedNode();

  @Test
  void aRealClientNegotiatesItAndExchangesMessages() {
    WebSocketClient client = COMPRESSING.node().vertx().createWebSocketClient(new WebSocketClientOptions()
        .setTryUsePerMessageCompression(true).setMaxMessageSize(1 << 20));
    try (WsClient bob = COMPRESSING.node().login("deflate-bob")) {
      WebSocket alice = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(COMPRESSING.node().port())
          .setURI("/ws").setAllowOriginHeader(false)).await();
      assertTrue(alice.headers().get("sec-websocket-extensions").startsWith("permessage-deflate"),
          alice.headers().get("sec-websocket-extensions"));
      LinkedBlockingQueue<JsonObject> in = new LinkedBlockingQueue<>();
      alice.textMessageHandler(t -> in.add(new JsonObject(t)));
      alice.writeTextMessage(new JsonObject().put("type", "hello").put("token", Tokens.user("deflate-alice").sign()).encode()).await();
      assertEquals("welcome", poll(in, "welcome").getString("type"));
      String body = "compressible ".repeat(2000);
      for (int i = 0; i < 5; i++) {
        alice.writeTextMessage(new JsonObject().put("type", "send").put("ref", "r" + i).put("to", "user:deflate-bob")
            .put("body", body + i).encode()).await();
        assertEquals(i + 1L, poll(in, "sent").getLong("seq"));
        assertEquals(body + i, bob.messages("user:deflate-bob", 1).get(0).getString("body"));
      }
      // and the other way: deliveries, pre-encoded for plain sockets, reach the compressing one intact
      for (int i = 0; i < 3; i++) {
        assertEquals("sent", bob.sendTo("user:deflate-alice", body + "back" + i, null).getString("type"));
        JsonObject m = poll(in, "message");
        assertEquals(body + "back" + i, m.getString("body"));
      }
      alice.close().await();
    } finally {
      client.close().await();
    }
  }

  @Test
  void compressedFramesWithContextTakeoverAndFragmentsAreRead() throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      assertNotNull(ws.responseHeader("sec-websocket-extensions"));
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      ws.send(true, RSV1, TEXT, deflate(deflater, hello("deflate-raw")));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      for (int i = 0; i < 3; i++) {
        // the same text again: the second time it is mostly back-references into the shared window
        ws.send(true, RSV1, TEXT, deflate(deflater, "{\"type\":\"ping\",\"ref\":\"same-text-" + i + "\"}"));
        assertEquals("same-text-" + i, ws.next("pong").getString("ref"));
      }
      byte[] whole = deflate(deflater, "{\"type\":\"ping\",\"ref\":\"" + "f".repeat(60) + "\"}");
      int cut = whole.length / 2;
      ws.send(false, RSV1, TEXT, Arrays.copyOfRange(whole, 0, cut));
      ws.send(true, 0, CONTINUATION, Arrays.copyOfRange(whole, cut, whole.length));
      assertEquals("f".repeat(60), ws.next("pong").getString("ref"));
      // uncompressed messages stay allowed
      ws.sendText("{\"type\":\"ping\",\"ref\":\"plain\"}");
      assertEquals("plain", ws.next("pong").getString("ref"));
      deflater.end();
    }
  }

  @Test
  void aCompressionBombClosesWith1009WithoutBeingInflated() throws IOException {
    int max = COMPRESSING.node().options().getLimits().getMaxMessageBytes();
    byte[] zeros = new byte[32 << 20];
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] bomb = deflate(deflater, zeros);
    deflater.end();
    assertTrue(bomb.length < max, "the bomb fits in one frame: " + bomb.length);
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      ws.send(true, RSV1, TEXT, deflate(d, hello("deflate-bomb")));
      d.end();
      assertEquals("welcome", ws.next("welcome").getString("type"));
      long before = allocatedByAllThreads();
      ws.send(true, RSV1, TEXT, bomb);
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), ws.awaitClose());
      long allocated = allocatedByAllThreads() - before;
      // 32 MiB inflated would show; the cap keeps it to the budget and a few buffers
      assertTrue(allocated < 8 << 20, "the node allocated " + allocated + " bytes for the bomb");
    }
    // the same across fragments: the budget is the message's, not each frame's
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
      ws.send(true, RSV1, TEXT, deflate(d, hello("deflate-bomb-frag")));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      // a fragment that does not end the message keeps its 00 00 ff ff: only the message's end drops it
      ws.send(false, RSV1, TEXT, flush(d, new byte[max / 4]));
      for (int i = 0; i < 8; i++) {
        ws.send(false, 0, CONTINUATION, flush(d, new byte[max / 4]));
      }
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), ws.awaitClose(), ws::closeReason);
      d.end();
    }
    try (WsClient c = COMPRESSING.node().login("deflate-after-bomb")) {
      c.send(new JsonObject().put("type", "ping").put("ref", "alive"));
      assertEquals("pong", c.await(f -> "alive".equals(f.getValue("ref"))).getString("type"));
    }
  }

  @Test
  void badDeflateDataAndStrayReservedBitsClose1002() throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      ws.sendText(new String(hello("deflate-bad"), StandardCharsets.UTF_8));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      ws.send(true, RSV1, TEXT, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x13});
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      ws.sendText(new String(hello("deflate-rsv2"), StandardCharsets.UTF_8));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      ws.send(true, RSV2, TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(), OFFER)) {
      ws.sendText(new String(hello("deflate-ctl"), StandardCharsets.UTF_8));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      ws.send(true, RSV1, RawWebSocket.PING, new byte[0]);
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void withCompressionOffTheOfferIsIgnored() throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(PLAIN.node().port(), OFFER)) {
      assertNull(ws.responseHeader("sec-websocket-extensions"));
      ws.sendText(new String(hello("deflate-off"), StandardCharsets.UTF_8));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      ws.send(true, RSV1, TEXT, deflate(d, "{\"type\":\"ping\"}"));
      d.end();
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void serverNoContextTakeoverIsHonoured() throws IOException {
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(),
        Map.of("Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover"))) {
      assertEquals("permessage-deflate; server_no_context_takeover", ws.responseHeader("sec-websocket-extensions"));
      ws.sendText(new String(hello("deflate-noctx"), StandardCharsets.UTF_8));
      assertEquals("welcome", ws.next("welcome").getString("type"));
      for (int i = 0; i < 3; i++) {
        ws.sendText("{\"type\":\"ping\",\"ref\":\"again\"}");
        assertEquals("again", ws.next("pong").getString("ref"));
      }
    }
  }

  @Test
  void anOfferTheServerCannotHonourIsDeclined() {
    // a server window under 15 bits is declined (not failed): the connection goes on uncompressed
    try (RawWebSocket ws = RawWebSocket.connect(COMPRESSING.node().port(),
        Map.of("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10, x-unknown"))) {
      assertNull(ws.responseHeader("sec-websocket-extensions"));
    }
  }

  private static byte[] hello(String user) {
    return new JsonObject().put("type", "hello").put("token", Tokens.user(user).sign()).encode().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] deflate(Deflater deflater, String text) {
    return Deflate.message(deflater, text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] deflate(Deflater deflater, byte[] data) {
    return Deflate.message(deflater, data);
  }

  private static byte[] flush(Deflater deflater, byte[] data) {
    return Deflate.flush(deflater, data);
  }

  private static long allocatedByAllThreads() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      total += Math.max(0, a);
    }
    return total;
  }


  private static JsonObject poll(LinkedBlockingQueue<JsonObject> in, String type) {
    long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        JsonObject f = in.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        if (f != null && type.equals(f.getString("type"))) {
          return f;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("no " + type + " within " + WsClient.WAIT);
  }
}
