package io.switchboard.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical limit for fan-out on this machine: plain Netty, no protocol, no store. Every text
 * frame a client sends is written, as one frame whose payload buffer is shared (not copied or
 * re-encoded per socket), to every connected socket, batching flushes like a tuned server would.
 * GET /health answers 200 once it listens.
 */
public final class RawServer {

  private RawServer() {
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    ServerBootstrap b = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Health(),
                new WebSocketServerProtocolHandler("/raw", null, false, 65536), new Fanout());
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

  /**
   * Writes each published frame to every socket of every event loop, on that loop, without a flush;
   * one flush per socket follows once the loop has run what is queued, so that frames published
   * while a loop is behind go out in one write per socket, as a server that batches would send them.
   */
  private static final class Fanout extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        Loop.of(ctx.channel().eventLoop()).channels.add(ctx.channel());
        ctx.channel().closeFuture().addListener(f -> Loop.of(ctx.channel().eventLoop()).channels.remove(ctx.channel()));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof TextWebSocketFrame) {
        // encoded once: every socket gets a duplicate of this one payload buffer
        ByteBuf payload = Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(frame.content()).asReadOnly());
        for (Loop loop : Loop.ALL.values()) {
          loop.executor.execute(() -> loop.publish(payload));
        }
      }
    }
  }

  /** The sockets of one event loop; touched only on that loop. */
  private static final class Loop {
    static final Map<EventLoop, Loop> ALL = new ConcurrentHashMap<>();
    final EventLoop executor;
    final Set<Channel> channels = new LinkedHashSet<>();
    private boolean flushQueued;

    private Loop(EventLoop executor) {
      this.executor = executor;
    }

    static Loop of(EventLoop executor) {
      return ALL.computeIfAbsent(executor, Loop::new);
    }

    void publish(ByteBuf payload) {
      for (Channel ch : channels) {
        ch.write(new TextWebSocketFrame(payload.duplicate()), ch.voidPromise());
      }
      if (!flushQueued) {
        flushQueued = true;
        executor.execute(() -> {
          flushQueued = false;
          for (Channel ch : channels) {
            ch.flush();
          }
        });
      }
    }
  }
}
