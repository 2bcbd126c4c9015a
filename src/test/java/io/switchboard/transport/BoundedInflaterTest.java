package io.switchboard.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.support.Deflate;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The inflater alone: what it lets through and where it stops, without a socket in between. */
class BoundedInflaterTest {

  static final int MAX = 4096;

  @Test
  void inflatesMessagesAndFragmentsUpToTheBudget() {
    EmbeddedChannel ch = new EmbeddedChannel(new BoundedInflater(MAX));
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    String text = "x".repeat(MAX);
    ch.writeInbound(new TextWebSocketFrame(true, 4, Unpooled.wrappedBuffer(strip(deflate(d, text.getBytes(StandardCharsets.UTF_8))))));
    TextWebSocketFrame whole = ch.readInbound();
    assertEquals(text, whole.text());
    assertEquals(0, whole.rsv());
    whole.release();

    ch.writeInbound(new TextWebSocketFrame(false, 4, Unpooled.wrappedBuffer(deflate(d, "ab".getBytes(StandardCharsets.UTF_8)))));
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(strip(deflate(d, "cd".getBytes(StandardCharsets.UTF_8))))));
    TextWebSocketFrame first = ch.readInbound();
    ContinuationWebSocketFrame rest = ch.readInbound();
    assertEquals("abcd", first.text() + rest.text());
    first.release();
    rest.release();
    d.end();
    assertFalse(ch.finish());
  }

  @Test
  void aBombStopsOneBytePastTheBudget() {
    EmbeddedChannel ch = new EmbeddedChannel(new BoundedInflater(MAX));
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] bomb = strip(deflate(d, new byte[16 << 20]));
    d.end();
    CorruptedWebSocketFrameException e = assertThrows(CorruptedWebSocketFrameException.class,
        () -> ch.writeInbound(new TextWebSocketFrame(true, 4, Unpooled.wrappedBuffer(bomb))));
    assertEquals(1009, e.closeStatus().code(), e.getMessage());
    assertNull(ch.readInbound());
    // nothing more is inflated after the violation
    ch.writeInbound(new TextWebSocketFrame(true, 4, Unpooled.wrappedBuffer(bomb)));
    assertNull(ch.readInbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void aBombAcrossFragmentsCountsAgainstOneBudget() {
    EmbeddedChannel ch = new EmbeddedChannel(new BoundedInflater(MAX));
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    ch.writeInbound(new TextWebSocketFrame(false, 4, Unpooled.wrappedBuffer(deflate(d, new byte[MAX / 2]))));
    ((TextWebSocketFrame) ch.readInbound()).release();
    ch.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(deflate(d, new byte[MAX / 2]))));
    ((ContinuationWebSocketFrame) ch.readInbound()).release();
    CorruptedWebSocketFrameException e = assertThrows(CorruptedWebSocketFrameException.class,
        () -> ch.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(deflate(d, new byte[1])))));
    assertEquals(1009, e.closeStatus().code());
    d.end();
    ch.finishAndReleaseAll();
  }

  @Test
  void reservedBitsItDoesNotUseAreProtocolErrors() {
    EmbeddedChannel ch = new EmbeddedChannel(new BoundedInflater(MAX));
    CorruptedWebSocketFrameException e = assertThrows(CorruptedWebSocketFrameException.class,
        () -> ch.writeInbound(new TextWebSocketFrame(true, 2, Unpooled.wrappedBuffer(new byte[] {'1'}))));
    assertEquals(1002, e.closeStatus().code());
    ch.finishAndReleaseAll();
  }

  private static byte[] deflate(Deflater d, byte[] data) {
    return Deflate.flush(d, data);
  }

  private static byte[] strip(byte[] flushed) {
    return java.util.Arrays.copyOf(flushed, flushed.length - 4);
  }
}
