package io.switchboard.gateway;

import io.netty.channel.EventLoop;
import io.switchboard.auth.ConnectInfo;
import io.switchboard.metrics.GatewayMetrics.ConnectLine;
import io.switchboard.metrics.GatewayMetrics.Handshake;
import io.switchboard.transport.Connection;
import io.switchboard.transport.Limit;
import io.switchboard.transport.RequestHead;
import io.switchboard.transport.Upgrades;
import io.vertx.core.internal.ContextInternal;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's side of the handshake: which upgrades to refuse before any is made (Origin 403, a
 * draining node 503), and which loop's sessions take the accepted ones.
 */
public final class WebSocketUpgrades implements Upgrades {

  private final Services services;
  private final OriginPolicy origins;
  private final boolean keepHandshake;
  private final Map<EventLoop, GatewayVerticle> gateways = new ConcurrentHashMap<>();

  public WebSocketUpgrades(Services services) {
    this.services = services;
    this.origins = new OriginPolicy(services.options().getHttp().getAllowedOrigins());
    this.keepHandshake = services.proxies().connect() != null;
  }

  void register(GatewayVerticle gateway) {
    gateways.put(gateway.loop(), gateway);
  }

  @Override
  public int check(RequestHead head, SocketAddress remote) {
    if (!origins.allows(head.header("origin"), head.header("host"))) {
      services.metrics().handshake(Handshake.ORIGIN_REJECTED);
      return 403;
    }
    if (services.state().draining()) {
      services.metrics().handshake(Handshake.DRAINING);
      return 503;
    }
    services.metrics().handshake(Handshake.UPGRADED);
    return 0;
  }

  @Override
  public ContextInternal context(EventLoop loop) {
    return gateways.get(loop).context();
  }

  @Override
  public void accepted(EventLoop loop, Connection connection, RequestHead head, String clientIp) {
    // only a connect proxy reads these: without one, a session holds none of them
    ConnectInfo info = keepHandshake
        ? new ConnectInfo(clientIp, head.header("user-agent"), head.header("origin"), head.header("cookie")) : null;
    gateways.get(loop).sessions().accept(connection, info, clientIp);
  }

  @Override
  public AtomicInteger upgradesWaiting() {
    return services.metrics().connectsWaiting(ConnectLine.UPGRADE);
  }

  @Override
  public void limited(Limit limit) {
    services.metrics().handshake(switch (limit) {
      case CAPACITY -> Handshake.CAPACITY;
      case IP_CONNECTIONS -> Handshake.IP_LIMITED;
      case HANDSHAKE_RATE -> Handshake.RATE_LIMITED;
    });
  }

  @Override
  public void headTimedOut() {
    services.metrics().handshake(Handshake.HEAD_TIMEOUT);
  }

  @Override
  public void notFound() {
    services.metrics().handshake(Handshake.NOT_FOUND);
  }
}
