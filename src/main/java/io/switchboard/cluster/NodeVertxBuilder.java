package io.switchboard.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.impl.VertxBootstrapImpl;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.transport.Transport;

/**
 * {@code Vertx.builder()} plus one thing the public builder cannot set: the event bus's node
 * selector, which {@link SwitchboardClusterManager} brings ({@link PresenceNodeSelector}). Built
 * through {@link VertxBootstrap}, Vert.x's bootstrap for integrations, as {@code Vertx.builder()}
 * itself is.
 */
public final class NodeVertxBuilder implements VertxBuilder {

  private VertxOptions options;
  private VertxMetricsFactory metrics;
  private VertxTracerFactory tracer;
  private Transport transport;
  private ClusterManager clusterManager;

  @Override
  public VertxBuilder with(VertxOptions options) {
    this.options = options;
    return this;
  }

  @Override
  public VertxBuilder withMetrics(VertxMetricsFactory factory) {
    this.metrics = factory;
    return this;
  }

  @Override
  public VertxBuilder withTracer(VertxTracerFactory factory) {
    this.tracer = factory;
    return this;
  }

  @Override
  public VertxBuilder withTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  @Override
  public VertxBuilder withClusterManager(ClusterManager clusterManager) {
    this.clusterManager = clusterManager;
    return this;
  }

  @Override
  public Vertx build() {
    return bootstrap().init().vertx();
  }

  @Override
  public Future<Vertx> buildClustered() {
    VertxBootstrap bootstrap = bootstrap().clusterManager(clusterManager);
    if (clusterManager instanceof SwitchboardClusterManager node) {
      ((VertxBootstrapImpl) bootstrap).clusterNodeSelector(node.selector());
    }
    return bootstrap.init().clusteredVertx();
  }

  private VertxBootstrap bootstrap() {
    VertxBootstrap bootstrap = VertxBootstrap.create();
    if (options != null) {
      bootstrap.options(options);
    }
    bootstrap.metricsFactory(metrics);
    bootstrap.tracerFactory(tracer);
    Transport chosen = transport;
    if (chosen == null && options != null && options.getPreferNativeTransport()) {
      chosen = Transport.nativeTransport();
    }
    if (chosen == null) {
      chosen = Transport.NIO;
    }
    bootstrap.transport(chosen.implementation());
    return bootstrap;
  }
}
