package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The inbound half of permessage-deflate (RFC 7692), written here rather than taken from Netty
 * because its budget is the whole message: a compression bomb (a few KiB inflating to gigabytes) is
 * cut off, with 1009, as soon as the bytes inflated for one message pass {@code limits.maxMessageBytes},
 * so no more than that is ever held, whatever the number of fragments. Netty's decoder caps each
 * frame's output only, and as a composite of chunks.
 *
 * <p>The frame decoder lets reserved bits through once an extension is negotiated, so the checks it
 * no longer makes are made here: RSV1 only on the first frame of a data message, RSV2 and RSV3 never.
 */
final class BoundedInflater extends MessageToMessageDecoder<WebSocketFrame> {

  private static final int RSV1 = 0x4;
  private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};
  /** Inflated a slice at a time, so that a bomb is noticed within one slice of the budget. */
  private static final int SLICE = 8192;

  private final int maxMessageBytes;
  private final Inflater inflater = new Inflater(true);
  private final byte[] slice = new byte[SLICE];
  private boolean inMessage;
  private boolean compressed;
  private int inflated;
  private boolean failed;

  BoundedInflater(int maxMessageBytes) {
    super(WebSocketFrame.class);
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
    if (failed) {
      // after a violation only the peer's close still matters
      if (frame instanceof CloseWebSocketFrame) {
        out.add(frame.retain());
      }
      return;
    }
    boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
    boolean continuation = frame instanceof ContinuationWebSocketFrame;
    int rsv = frame.rsv();
    if ((rsv & ~RSV1) != 0 || (rsv != 0 && !data)) {
      throw fail(WebSocketCloseStatus.PROTOCOL_ERROR, "reserved bits set that permessage-deflate does not use");
    }
    if (!data && !continuation) {
      out.add(frame.retain());
      return;
    }
    if (data) {
      inMessage = true;
      compressed = rsv != 0;
      inflated = 0;
    } else if (!inMessage) {
      // the frame decoder refuses this already; kept so this handler never inflates out of a message
      throw fail(WebSocketCloseStatus.PROTOCOL_ERROR, "continuation frame outside a message");
    }
    boolean last = frame.isFinalFragment();
    if (last) {
      inMessage = false;
    }
    if (!compressed) {
      out.add(frame.retain());
      return;
    }
    ByteBuf content = inflate(ctx, frame.content(), last);
    if (frame instanceof TextWebSocketFrame) {
      out.add(new TextWebSocketFrame(last, 0, content));
    } else if (frame instanceof BinaryWebSocketFrame) {
      out.add(new BinaryWebSocketFrame(last, 0, content));
    } else {
      out.add(new ContinuationWebSocketFrame(last, 0, content));
    }
  }

  private ByteBuf inflate(ChannelHandlerContext ctx, ByteBuf in, boolean last) {
    ByteBuf out = ctx.alloc().heapBuffer(Math.min(SLICE, maxMessageBytes - inflated + 1));
    try {
      feed(in.nioBuffer(), out);
      if (last) {
        feed(ByteBuffer.wrap(TAIL), out);
        if (inflater.finished()) {
          // the peer ended its deflate stream (BFINAL): the next message starts a new one
          inflater.reset();
        }
      }
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  private void feed(ByteBuffer input, ByteBuf out) {
    inflater.setInput(input);
    try {
      while (!inflater.finished()) {
        if (inflated > maxMessageBytes) {
          throw fail(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes once inflated");
        }
        // never room for more than one byte past the budget: the bomb is caught without being held
        int n = inflater.inflate(slice, 0, Math.min(SLICE, maxMessageBytes - inflated + 1));
        out.writeBytes(slice, 0, n);
        inflated += n;
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
      }
      if (inflated > maxMessageBytes) {
        throw fail(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes once inflated");
      }
    } catch (DataFormatException e) {
      throw fail(WebSocketCloseStatus.PROTOCOL_ERROR, "invalid deflate data");
    }
  }

  private CorruptedWebSocketFrameException fail(WebSocketCloseStatus status, String message) {
    failed = true;
    return new CorruptedWebSocketFrameException(status, message);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    inflater.end();
  }
}
