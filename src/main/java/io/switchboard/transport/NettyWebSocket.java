package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.protocol.CloseCode;
import io.vertx.core.internal.ContextInternal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket as the session sees it, straight on a Netty channel: a handful of objects per
 * connection where Vert.x's ServerWebSocket keeps the upgrade request, its headers and two
 * cross-thread queues. Every callback runs inside the Vert.x context that owns the channel's event
 * loop, so session code sees the context it expects.
 *
 * <p>Fragments are reassembled here under the size limit (1009 beyond it), binary closes with 1003,
 * text that is not valid UTF-8 with 1007, and what the frame decoder rejects with the status it gives.
 */
final class NettyWebSocket extends ChannelInboundHandlerAdapter implements Connection {

  /** A close reason must fit in a control frame: 125 bytes minus the 2-byte code. */
  static final int MAX_REASON_BYTES = 123;
  /** How long to wait for the peer's close frame after sending ours before dropping the TCP connection. */
  static final long CLOSE_GRACE_MS = 1_000;

  private static final ThreadLocal<CharsetDecoder> STRICT_UTF8 = ThreadLocal.withInitial(() ->
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  final Channel channel;
  boolean flushPending;
  private final ContextInternal context;
  private final Flusher flusher;
  private final int maxMessageBytes;
  /** permessage-deflate was negotiated: pre-encoded frames must be unwrapped to pass the compressor. */
  private final boolean compressed;
  private ConnectionHandler handler;
  private ByteBuf fragments;
  private boolean closing;
  private Short peerCode;
  /** Gives up this connection's room among the upgrades not heard from yet; null once given up. */
  private Runnable heardFrom;

  NettyWebSocket(Channel channel, ContextInternal context, Flusher flusher, int maxMessageBytes, boolean compressed,
                 Runnable heardFrom) {
    this.channel = channel;
    this.heardFrom = heardFrom;
    this.context = context;
    this.flusher = flusher;
    this.maxMessageBytes = maxMessageBytes;
    this.compressed = compressed;
  }

  @Override
  public void start(ConnectionHandler handler) {
    this.handler = handler;
  }

  // ---- inbound --------------------------------------------------------------------------------

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    context.emit((WebSocketFrame) msg, this::frame);
  }

  private void frame(WebSocketFrame frame) {
    try {
      if (closing && !(frame instanceof CloseWebSocketFrame)) {
        return;
      }
      handler.onActivity();
      if (frame instanceof TextWebSocketFrame) {
        if (frame.isFinalFragment()) {
          deliver(frame.content());
        } else {
          fragments = channel.alloc().heapBuffer(frame.content().readableBytes()).writeBytes(frame.content());
          checkSize();
        }
      } else if (frame instanceof ContinuationWebSocketFrame) {
        if (fragments != null) {
          fragments.writeBytes(frame.content());
          if (checkSize() && frame.isFinalFragment()) {
            ByteBuf message = fragments;
            fragments = null;
            try {
              deliver(message);
            } finally {
              message.release();
            }
          }
        }
      } else if (frame instanceof BinaryWebSocketFrame) {
        close(CloseCode.UNSUPPORTED_DATA, "binary frames are not supported; send JSON text");
      } else if (frame instanceof PingWebSocketFrame) {
        // a client that pings without reading must not grow the queue: answering the latest ping is enough (RFC 6455 5.5.3)
        if (channel.isWritable()) {
          channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
      } else if (frame instanceof CloseWebSocketFrame) {
        int status = ((CloseWebSocketFrame) frame).statusCode();
        peerCode = status < 0 ? null : (short) status;
        if (closing) {
          channel.close();
        } else {
          // answer the close handshake with the same code, then hang up
          closing = true;
          channel.writeAndFlush(new CloseWebSocketFrame(status < 0 ? 1000 : status, null))
              .addListener(ChannelFutureListener.CLOSE);
        }
      }
      // pong: its arrival already counted as activity
    } finally {
      frame.release();
    }
  }

  /** Vert.x's and Netty's text decoding replace invalid UTF-8 silently: decode strictly, refuse with 1007. */
  private void deliver(ByteBuf utf8) {
    String text;
    try {
      text = STRICT_UTF8.get().decode(utf8.nioBuffer()).toString();
    } catch (CharacterCodingException e) {
      close(CloseCode.INVALID_PAYLOAD, "text frame is not valid UTF-8");
      return;
    }
    heard();
    handler.onText(text);
  }

  private boolean checkSize() {
    if (fragments.readableBytes() > maxMessageBytes) {
      fragments.release();
      fragments = null;
      close(CloseCode.MESSAGE_TOO_BIG, "message larger than " + maxMessageBytes + " bytes");
      return false;
    }
    return true;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException) {
      int status = ((CorruptedWebSocketFrameException) cause).closeStatus().code();
      CloseCode code = status == CloseCode.MESSAGE_TOO_BIG.code() ? CloseCode.MESSAGE_TOO_BIG
          : status == CloseCode.INVALID_PAYLOAD.code() ? CloseCode.INVALID_PAYLOAD : CloseCode.PROTOCOL_ERROR;
      context.emit(v -> close(code, String.valueOf(cause.getMessage())));
    } else {
      // an I/O failure (reset by peer, ...): the connection is gone, channelInactive reports it
      ctx.close();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (channel.isWritable() && handler != null && !closing) {
      context.emit(v -> handler.onWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
    context.emit(v -> handler.onClosed(peerCode));
  }

  // ---- outbound -------------------------------------------------------------------------------

  @Override
  public void send(String text) {
    if (!closing) {
      channel.write(new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)));
      flusher.flushLater(this);
    }
  }

  @Override
  public void sendEncoded(byte[] frame) {
    if (!closing) {
      if (compressed) {
        int header = WebSocketFrames.headerLength(frame);
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame, header, frame.length - header)));
      } else {
        // already a complete frame: it passes the frame encoder untouched
        channel.write(Unpooled.wrappedBuffer(frame));
      }
      flusher.flushLater(this);
    }
  }

  /**
   * The client spoke, was silent too long, or is being closed: its room among the upgrades goes to
   * the next. A connection that drops leaves the line by the front door's close listener.
   */
  void heard() {
    Runnable r = heardFrom;
    if (r != null) {
      heardFrom = null;
      r.run();
    }
  }

  @Override
  public void close(CloseCode code, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    heard();
    // reading may be paused (during hello): the peer's close frame must still be read to finish the handshake
    channel.config().setAutoRead(true);
    channel.writeAndFlush(new CloseWebSocketFrame(code.code(), truncate(reason)));
    // counted from now, not from when the close frame is written: behind the queue of a client that
    // does not read, it never would be, and the socket would hold that queue forever
    channel.eventLoop().schedule(() -> channel.close(), CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean writeQueueFull() {
    return !channel.isWritable();
  }

  @Override
  public long queuedBytes() {
    ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
    return queue == null ? 0 : queue.totalPendingWriteBytes();
  }

  @Override
  public void pause() {
    channel.config().setAutoRead(false);
  }

  @Override
  public void resume() {
    channel.config().setAutoRead(true);
  }

  @Override
  public String remoteAddress() {
    return String.valueOf(channel.remoteAddress());
  }

  static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // a multi-byte character cut in half decodes to U+FFFD (3 bytes): drop it
    while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES || cut.endsWith("\uFFFD")) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut;
  }
}
