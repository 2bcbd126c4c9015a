package io.switchboard.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;

/**
 * Hands a plain HTTP connection (health, metrics, API, the demo page) to the node's Vert.x HTTP
 * server on its internal loopback port, byte for byte and both ways. Reads go one at a time, each
 * only after the previous write completed, so a slow side holds the other back instead of piling up
 * buffers.
 */
final class Relay {

  private Relay() {
  }

  /**
   * @param channels makes the connection to the HTTP server: of the transport the front channel's loop serves
   * @param head     the bytes already read from {@code front} (its request head and anything after)
   */
  static void start(Channel front, ChannelFactory<? extends Channel> channels, String host, int port, ByteBuf head) {
    front.config().setAutoRead(false);
    new Bootstrap()
        .group(front.eventLoop())
        .channelFactory(channels)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new Pipe(front))
        .connect(host, port)
        .addListener((ChannelFutureListener) connected -> {
          if (!connected.isSuccess()) {
            head.release();
            front.close();
            return;
          }
          Channel back = connected.channel();
          front.pipeline().addLast(new Pipe(back));
          back.writeAndFlush(head).addListener((ChannelFutureListener) written -> {
            if (written.isSuccess()) {
              front.read();
              back.read();
            } else {
              front.close();
            }
          });
        });
  }

  /** Forwards what one side reads to the other. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Channel to;

    Pipe(Channel to) {
      this.to = to;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
        if (f.isSuccess()) {
          ctx.channel().read();
        } else {
          f.channel().close();
          ctx.channel().close();
        }
      });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (to.isActive()) {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
