package io.switchboard.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.transport.Transport;
import io.switchboard.util.WaitingLine;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's public port. One acceptor; each accepted socket is registered on one of the gateway
 * event loops (round robin), where {@link FrontDoorHandler} decides what it is. The acceptor is
 * Vert.x's acceptor thread, not a gateway loop: on a gateway loop it accepted only between that
 * loop's hellos (16 sockets per turn), so in a reconnect storm the kernel's accept queue filled
 * while the node was busy and the kernel dropped the TCP handshakes beyond it. Each of those clients
 * waited for its SYN to be sent again (1 s, then 3 s, 7 s), long after the node had caught up. The
 * pace is now set after the request head is read: see {@link FrontDoorHandler} and the gateway's
 * line of hellos.
 *
 * <p>With TLS on, an {@link SslHandler} comes first, so WebSockets and the relayed HTTP routes alike
 * are encrypted. Channels are of Vert.x's transport (epoll or NIO), the kind its event loops serve.
 */
public final class FrontDoor {

  private final Channel server;

  private FrontDoor(Channel server) {
    this.server = server;
  }

  public static Future<FrontDoor> bind(FrontDoorSettings settings, EventLoop acceptor, List<EventLoop> loops,
                                       Transport transport, Upgrades upgrades) {
    Map<EventLoop, Flusher> flushers = new HashMap<>();
    loops.forEach(loop -> flushers.put(loop, new Flusher(loop)));
    Map<EventLoop, WaitingLine<Channel>> upgradesLines = new HashMap<>();
    loops.forEach(loop -> upgradesLines.put(loop,
        WaitingLine.shareOf(settings.limits().upgradesInFlight(), loops.size(), upgrades.upgradesWaiting())));
    Admission admission = new Admission(settings.limits());
    ChannelFactory<? extends Channel> relayChannels = transport.channelFactory(false);
    Promise<FrontDoor> bound = Promise.promise();
    new ServerBootstrap()
        .group(acceptor, new LoopSet(loops))
        .channelFactory(transport.serverChannelFactory(false))
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (settings.tls() != null) {
              SslHandler tls = settings.tls().newHandler(ch.alloc());
              tls.setHandshakeTimeoutMillis(settings.headTimeoutMs());
              ch.pipeline().addLast(tls);
            }
            ch.pipeline().addLast(new FrontDoorHandler(settings, admission, upgrades, flushers.get(ch.eventLoop()),
                upgradesLines.get(ch.eventLoop()), relayChannels));
          }
        })
        .bind(settings.host(), settings.port())
        .addListener(f -> {
          if (f.isSuccess()) {
            bound.complete(new FrontDoor(((io.netty.channel.ChannelFuture) f).channel()));
          } else {
            bound.fail(f.cause());
          }
        });
    return bound.future();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops accepting; open connections are the sessions' business (drain). */
  public Future<Void> close() {
    Promise<Void> closed = Promise.promise();
    server.close().addListener(f -> closed.complete());
    return closed.future();
  }
}
