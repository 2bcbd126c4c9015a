package io.switchboard.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.util.WaitingLine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every accepted socket: reads the request head (bounded in size and time), then
 * either upgrades to a WebSocket on this very channel (lean pipeline: frame decoder, frame encoder,
 * {@link NettyWebSocket}) or relays the connection to the Vert.x HTTP server.
 */
final class FrontDoorHandler extends ChannelInboundHandlerAdapter {

  private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

  /**
   * A client answered 101 holds its room among the upgrades (see {@link #inLine}) until it says
   * hello, but only this long if it sends nothing: one that opens sockets and never says hello would
   * otherwise hold all of them for {@code protocol.helloTimeoutMs}, and no one else would be upgraded.
   */
  static final long SILENT_PLACE_MS = 1_000;

  /** A draining node sends clients elsewhere; they may come back here once it has restarted. */
  private static final int DRAINING_RETRY_AFTER_SECONDS = 5;

  private final FrontDoorSettings settings;
  private final Admission admission;
  private final Upgrades upgrades;
  private final Flusher flusher;
  private final WaitingLine<Channel> upgradesLine;
  private final ChannelFactory<? extends Channel> relayChannels;
  private ByteBuf head;
  private ScheduledFuture<?> timeout;
  private boolean decided;

  FrontDoorHandler(FrontDoorSettings settings, Admission admission, Upgrades upgrades, Flusher flusher,
                   WaitingLine<Channel> upgradesLine, ChannelFactory<? extends Channel> relayChannels) {
    this.settings = settings;
    this.admission = admission;
    this.upgrades = upgrades;
    this.flusher = flusher;
    this.upgradesLine = upgradesLine;
    this.relayChannels = relayChannels;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    head = ctx.alloc().heapBuffer(512, settings.maxHeadBytes() + 4096);
    // a client that opens a socket and never finishes its request must not hold it forever
    timeout = ctx.executor().schedule(() -> {
      if (!decided) {
        upgrades.headTimedOut();
        ctx.close();
      }
    }, settings.headTimeoutMs(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    if (decided) {
      ctx.fireChannelRead(in);
      return;
    }
    try {
      if (head.readableBytes() + in.readableBytes() > head.maxCapacity()) {
        refuse(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "");
        return;
      }
      head.writeBytes(in);
    } finally {
      in.release();
    }
    int end = ByteBufIndex.indexOf(head, END_OF_HEAD);
    if (end < 0) {
      if (head.readableBytes() > settings.maxHeadBytes()) {
        refuse(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "");
      }
      return;
    }
    decided = true;
    timeout.cancel(false);
    byte[] bytes = new byte[end];
    head.getBytes(head.readerIndex(), bytes);
    RequestHead request = RequestHead.parse(bytes, end);
    if (request == null) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "");
      return;
    }
    if (!request.isWebSocketUpgrade()) {
      relay(ctx, request, end);
    } else if (!request.path().equals(settings.webSocketPath())) {
      upgrades.notFound();
      refuse(ctx, HttpResponseStatus.NOT_FOUND, "");
    } else if (!"13".equals(request.header("sec-websocket-version")) || request.header("sec-websocket-key") == null) {
      refuse(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "Sec-WebSocket-Version: 13\r\n");
    } else {
      admit(ctx, request, end + END_OF_HEAD.length);
    }
  }

  /** The front door's limits first (cheapest, and they hold whatever the gateway decides), then the gateway's checks. */
  private void admit(ChannelHandlerContext ctx, RequestHead request, int headLength) {
    String ip = admission.clientIp(ctx.channel().remoteAddress(), request);
    Admission.Refusal refusal = admission.rate(ip);
    if (refusal == null) {
      refusal = admission.take(ip);
    }
    if (refusal != null) {
      upgrades.limited(refusal.limit());
      refuse(ctx, HttpResponseStatus.valueOf(refusal.status()), retryAfter(refusal.retryAfterSeconds()));
      return;
    }
    int status = upgrades.check(request, ctx.channel().remoteAddress());
    if (status != 0) {
      admission.release(ip);
      refuse(ctx, HttpResponseStatus.valueOf(status), status == 503 ? retryAfter(DRAINING_RETRY_AFTER_SECONDS) : "");
      return;
    }
    // the listener lives as long as the connection: it holds the admission, not this handler
    Admission slots = admission;
    ctx.channel().closeFuture().addListener(f -> slots.release(ip));
    inLine(ctx, request, headLength, ip);
  }

  /**
   * Upgrades once the loop has room for one more client that was answered 101 and has not said
   * anything yet; until then nothing more is read (a client sends nothing before its 101 anyway).
   * The room is given back when the client's first message (its hello) arrives, when it has said
   * nothing for {@link #SILENT_PLACE_MS}, or when the connection closes, whichever comes first.
   */
  private void inLine(ChannelHandlerContext ctx, RequestHead request, int headLength, String ip) {
    Channel channel = ctx.channel();
    WaitingLine<Channel> line = upgradesLine;
    channel.config().setAutoRead(false);
    channel.closeFuture().addListener(f -> line.leave(channel));
    // let through from another connection's event: upgraded in a task of its own, not inside theirs
    line.enter(channel, () -> channel.eventLoop().execute(() -> {
      if (channel.isActive()) {
        channel.config().setAutoRead(true);
        upgrade(ctx, request, headLength, ip);
      }
    }));
  }

  private static String retryAfter(long seconds) {
    return seconds > 0 ? "Retry-After: " + seconds + "\r\n" : "";
  }

  private void upgrade(ChannelHandlerContext ctx, RequestHead request, int headLength, String ip) {
    PerMessageDeflate deflate = settings.compression()
        ? PerMessageDeflate.negotiate(request.header("sec-websocket-extensions")) : null;
    String response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept(request.header("sec-websocket-key")) + "\r\n"
        + (deflate == null ? "" : "Sec-WebSocket-Extensions: " + deflate.responseHeader() + "\r\n") + "\r\n";
    ctx.writeAndFlush(Unpooled.wrappedBuffer(response.getBytes(StandardCharsets.US_ASCII)));

    ChannelPipeline pipeline = ctx.pipeline();
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(settings.maxMessageBytes())
        .expectMaskedFrames(true)
        // with permessage-deflate the frame decoder lets reserved bits through: BoundedInflater checks them
        .allowExtensions(deflate != null)
        // report violations (to NettyWebSocket, which closes with their status) instead of closing silently
        .closeOnProtocolViolation(false)
        .build();
    Channel channel = ctx.channel();
    channel.config().setWriteBufferWaterMark(
        new WriteBufferWaterMark(settings.maxOutboundBytes() / 2, settings.maxOutboundBytes()));
    WaitingLine<Channel> line = upgradesLine;
    NettyWebSocket socket = new NettyWebSocket(channel, upgrades.context(channel.eventLoop()), flusher,
        settings.maxMessageBytes(), deflate != null, () -> line.leave(channel));
    pipeline.addLast(new WebSocket13FrameDecoder(config), new WebSocket13FrameEncoder(false));
    if (deflate != null) {
      pipeline.addLast(deflate.encoder(), PerMessageDeflate.decoder(settings.maxMessageBytes()));
    }
    pipeline.addLast(socket);
    channel.eventLoop().schedule(socket::heard, SILENT_PLACE_MS, TimeUnit.MILLISECONDS);
    upgrades.context(channel.eventLoop()).emit(v -> upgrades.accepted(channel.eventLoop(), socket, request, ip));
    ByteBuf rest = head.skipBytes(headLength);
    head = null;
    pipeline.remove(this);
    if (rest.isReadable()) {
      pipeline.fireChannelRead(rest);
    } else {
      rest.release();
    }
  }

  /**
   * Hands the connection to the internal HTTP server for this one request: its head is rewritten to
   * {@code Connection: close}. What a connection is (WebSocket or relayed HTTP) is decided once, on
   * its first request, but a proxy that keeps connections to the node alive (nginx with
   * {@code keepalive}, most ingress controllers) sends its next request, maybe a WebSocket upgrade,
   * on the same connection: it would reach the HTTP server and get 426. Closed after each answer,
   * the proxy opens a new connection for the next request, and the front door decides again.
   */
  private void relay(ChannelHandlerContext ctx, RequestHead request, int headEnd) {
    byte[] closing = request.closing();
    int rest = head.readableBytes() - headEnd - END_OF_HEAD.length;
    ByteBuf all = Unpooled.buffer(closing.length + rest).writeBytes(closing)
        .writeBytes(head, head.readerIndex() + headEnd + END_OF_HEAD.length, rest);
    release();
    ctx.pipeline().remove(this);
    Relay.start(ctx.channel(), relayChannels, "127.0.0.1", settings.internalPort(), all);
  }

  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String extraHeaders) {
    decided = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    String response = "HTTP/1.1 " + status.code() + " " + status.reasonPhrase() + "\r\n" + extraHeaders
        + "Content-Length: 0\r\nConnection: close\r\n\r\n";
    ctx.writeAndFlush(Unpooled.wrappedBuffer(response.getBytes(StandardCharsets.US_ASCII)))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void release() {
    if (head != null) {
      head.release();
      head = null;
    }
  }

  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JRE", e);
    }
  }
}
