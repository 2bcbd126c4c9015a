package io.switchboard.backend;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.ProxyOptions;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.metrics.ProxyMetrics;
import io.vertx.core.Vertx;

import java.time.Clock;

/**
 * The proxies a node has; each is null when its URL is not configured. They share one client, closed
 * with the node's Vert.x instance.
 */
public record Proxies(ConnectProxy connect, JoinProxy join, PublishProxy publish) {

  public static final Proxies NONE = new Proxies(null, null, null);

  public static Proxies create(Vertx vertx, SwitchboardOptions options, MeterRegistry registry, Clock clock) {
    ProxyOptions o = options.getProxy();
    if (!o.anyConfigured()) {
      return NONE;
    }
    BackendClient client = new BackendClient(vertx, options.getBackend().getSecrets(), clock);
    String node = options.getNodeName();
    ConnectProxy connect = o.getConnectUrl() == null ? null : new ConnectProxy(new ProxyCall(client, o.getConnectUrl(),
        o.getConnectTimeoutMs(), new ProxyMetrics(registry, ProxyMetrics.Proxy.CONNECT), ConnectProxy.refusals(), "connect"), node);
    JoinProxy join = o.getJoinUrl() == null ? null : new JoinProxy(new ProxyCall(client, o.getJoinUrl(),
        o.getJoinTimeoutMs(), new ProxyMetrics(registry, ProxyMetrics.Proxy.JOIN), JoinProxy.refusals(), "join"), node);
    PublishProxy publish = o.getPublishUrl() == null ? null : new PublishProxy(new ProxyCall(client, o.getPublishUrl(),
        o.getPublishTimeoutMs(), new ProxyMetrics(registry, ProxyMetrics.Proxy.PUBLISH), PublishProxy.refusals(), "publish"),
        node, o.getPublishStreams(), options.getLimits().getMaxMessageBytes());
    return new Proxies(connect, join, publish);
  }
}
