package io.switchboard.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.nio.charset.StandardCharsets;

/**
 * The physical limit for fan-out on this machine: plain Netty, no protocol, no store. Every text
 * frame a client sends is written, as one frame whose payload buffer is shared (not copied or
 * re-encoded per socket), to every connected socket. GET /health answers 200 once it listens.
 */
public final class RawServer {

  private RawServer() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    ServerBootstrap b = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Health(),
                new WebSocketServerProtocolHandler("/raw", null, false, 65536), new Fanout(all));
          }
        });
    b.bind("127.0.0.1", port).sync();
    System.out.println("raw baseline listening on " + port);
    Runtime.getRuntime().addShutdownHook(new Thread(loops::shutdownGracefully));
    Thread.currentThread().join();
  }

  /** Answers GET /health; passes the upgrade to /raw on. */
  private static final class Health extends SimpleChannelInboundHandler<FullHttpRequest> {
    Health() {
      super(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.uri().startsWith("/health")) {
        req.release();
        DefaultFullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.copiedBuffer("ok", StandardCharsets.US_ASCII));
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
        ctx.writeAndFlush(res);
        return;
      }
      ctx.fireChannelRead(req);
    }
  }

  private static final class Fanout extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final ChannelGroup all;

    Fanout(ChannelGroup all) {
      this.all = all;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        all.add(ctx.channel());
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame) {
        ByteBuf payload = Unpooled.copiedBuffer(frame.content());
        // ChannelGroup hands each channel a duplicate of the same buffer: one payload for N sockets
        all.writeAndFlush(new TextWebSocketFrame(payload));
      }
    }
  }
}
