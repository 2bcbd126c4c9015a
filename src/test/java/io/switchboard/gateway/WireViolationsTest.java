package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.RawWebSocket;
import io.switchboard.support.SharedNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static io.switchboard.support.RawWebSocket.BINARY;
import static io.switchboard.support.RawWebSocket.CLOSE;
import static io.switchboard.support.RawWebSocket.CONTINUATION;
import static io.switchboard.support.RawWebSocket.PING;
import static io.switchboard.support.RawWebSocket.RSV1;
import static io.switchboard.support.RawWebSocket.RSV3;
import static io.switchboard.support.RawWebSocket.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Frames no WebSocket library would send, written by hand on a socket after a real upgrade and hello:
 * each gets its documented close code, and the node goes on serving other clients.
 */
class WireViolationsTest {

  static final int MAX = 1024;
  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject().put("limits", new JsonObject().put("maxMessageBytes", MAX)));

  /** After every violation: the node still upgrades, authenticates and answers another client. */
  @AfterEach
  void nodeStillServes() {
    try (WsClient c = NODE.node().login("wire-after")) {
      c.send(new JsonObject().put("type", "ping").put("ref", "alive"));
      assertEquals("pong", c.await(f -> "alive".equals(f.getValue("ref"))).getString("type"));
    }
  }

  private static RawWebSocket helloed(String user) throws IOException {
    RawWebSocket ws = RawWebSocket.connect(NODE.node().port());
    ws.sendText(new JsonObject().put("type", "hello").put("token", Tokens.user(user).sign()).encode());
    assertEquals("welcome", new JsonObject(ws.readText()).getString("type"));
    return ws;
  }

  @Test
  void invalidUtf8Closes1007() throws IOException {
    try (RawWebSocket ws = helloed("wire-utf8")) {
      ws.send(true, 0, TEXT, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
      assertEquals(CloseCode.INVALID_PAYLOAD.code(), ws.awaitClose());
    }
    // an overlong encoding of '/' and a lone surrogate are not UTF-8 either
    try (RawWebSocket ws = helloed("wire-utf8")) {
      ws.send(true, 0, TEXT, new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'});
      assertEquals(CloseCode.INVALID_PAYLOAD.code(), ws.awaitClose());
    }
    try (RawWebSocket ws = helloed("wire-utf8")) {
      ws.send(true, 0, TEXT, new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'});
      assertEquals(CloseCode.INVALID_PAYLOAD.code(), ws.awaitClose());
    }
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsValid() throws IOException {
    try (RawWebSocket ws = helloed("wire-split")) {
      byte[] e = "é".getBytes(StandardCharsets.UTF_8);
      ws.send(false, 0, TEXT, concat("{\"type\":\"ping\",\"ref\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {e[0]}));
      ws.send(true, 0, CONTINUATION, concat(new byte[] {e[1]}, "\"}".getBytes(StandardCharsets.UTF_8)));
      assertEquals("é", ws.next("pong").getString("ref"));
    }
  }

  @Test
  void fragmentsOverTheLimitClose1009() throws IOException {
    try (RawWebSocket ws = helloed("wire-frag")) {
      byte[] part = new byte[MAX / 4];
      java.util.Arrays.fill(part, (byte) 'x');
      ws.send(false, 0, TEXT, part);
      for (int i = 0; i < 3; i++) {
        ws.send(false, 0, CONTINUATION, part);
      }
      ws.send(true, 0, CONTINUATION, new byte[] {'x'});
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), ws.awaitClose());
    }
  }

  @Test
  void oneFrameOverTheLimitCloses1009() throws IOException {
    try (RawWebSocket ws = helloed("wire-big")) {
      ws.send(true, 0, TEXT, new byte[MAX + 1]);
      assertEquals(CloseCode.MESSAGE_TOO_BIG.code(), ws.awaitClose());
    }
  }

  @Test
  void aControlFrameOver125BytesCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-ctl")) {
      ws.send(true, 0, PING, new byte[126]);
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void aFragmentedControlFrameCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-ctl-frag")) {
      ws.send(false, 0, PING, new byte[3]);
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void unknownOpcodesClose1002() throws IOException {
    for (int opcode : new int[] {0x3, 0x7, 0xB, 0xF}) {
      try (RawWebSocket ws = helloed("wire-op")) {
        ws.send(true, 0, opcode, new byte[] {1, 2});
        assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose(), "opcode " + opcode);
      }
    }
  }

  @Test
  void reservedBitsWithoutAnExtensionClose1002() throws IOException {
    for (int rsv : new int[] {RSV1, RSV3}) {
      try (RawWebSocket ws = helloed("wire-rsv")) {
        ws.send(true, rsv, TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose(), "rsv " + rsv);
      }
    }
  }

  @Test
  void aContinuationWithoutAStartCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-cont")) {
      ws.send(true, 0, CONTINUATION, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void aNewMessageInsideAFragmentedOneCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-interleave")) {
      ws.send(false, 0, TEXT, "{\"type\":".getBytes(StandardCharsets.UTF_8));
      ws.send(true, 0, TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void anUnmaskedFrameCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-unmasked")) {
      ws.sendRaw(new byte[] {(byte) 0x81, 2, '{', '}'});
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void aCloseWithAOneBytePayloadCloses1002() throws IOException {
    try (RawWebSocket ws = helloed("wire-close")) {
      ws.send(true, 0, CLOSE, new byte[] {3});
      assertEquals(CloseCode.PROTOCOL_ERROR.code(), ws.awaitClose());
    }
  }

  @Test
  void binaryNoiseCloses1003() throws IOException {
    try (RawWebSocket ws = helloed("wire-bin")) {
      ws.send(true, 0, BINARY, new byte[] {(byte) 0xff, 0, 7});
      assertEquals(CloseCode.UNSUPPORTED_DATA.code(), ws.awaitClose());
    }
  }

  @Test
  void deepNestingGetsAnErrorFrameAndTheConnectionStays() throws IOException {
    try (RawWebSocket ws = helloed("wire-deep")) {
      ws.sendText("{\"type\":\"send\",\"to\":\"all\",\"body\":" + "[".repeat(200) + "]".repeat(200) + "}");
      assertEquals("bad_request", ws.next("error").getString("code"));
      ws.sendText("{\"type\":\"ping\",\"ref\":\"after\"}");
      assertEquals("after", ws.next("pong").getString("ref"));
    }
  }


  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
