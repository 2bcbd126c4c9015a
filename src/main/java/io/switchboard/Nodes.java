package io.switchboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.cluster.NodeVertxBuilder;
import io.switchboard.cluster.SwitchboardClusterManager;
import io.switchboard.config.PemFiles;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.metrics.BuildInfoMetric;
import io.switchboard.metrics.JvmTimeCounters;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.logging.Logger;

/** How a Vert.x instance for a node is built, shared by the launcher and the tests. */
public final class Nodes {

  private Nodes() {
  }

  /**
   * Vert.x 5.0 registers its event-bus gauges (handlers, pending) again for every consumer address.
   * The registrations share one counter per series, so the values are right, but Micrometer warns
   * at the second one ("This Gauge has been already registered"), at every start. Only that
   * warning, about those gauges, is dropped. Held in a field: java.util.logging keeps loggers
   * weakly and would forget the filter.
   */
  private static final Logger METER_REGISTRY_LOG = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  static {
    METER_REGISTRY_LOG.setFilter(r -> r.getMessage() == null
        || !(r.getMessage().contains("already registered") && r.getMessage().contains("vertx.eventbus.")));
  }

  /** A node's registry: every time in seconds (see {@link JvmTimeCounters}). */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(JvmTimeCounters.REPLACED);
    BuildInfoMetric.register(registry);
    return registry;
  }

  /** cluster.xml plus the cluster.* settings; Hazelcast starts only if Vert.x is built clustered. */
  public static SwitchboardClusterManager clusterManager(SwitchboardOptions options) {
    return new SwitchboardClusterManager(HazelcastSetup.config(options.getCluster()));
  }

  /**
   * Vert.x with its own metrics (HTTP, event bus, JVM) reporting into the node's registry, and the
   * Hazelcast cluster manager (used only when built clustered: cluster.xml plus the cluster.* settings),
   * and mutual TLS on the clustered event bus when {@code cluster.tlsCertPath} is set.
   */
  public static VertxBuilder vertxBuilder(VertxOptions vertxOptions, SwitchboardOptions options,
                                          PrometheusMeterRegistry registry, HazelcastClusterManager cluster) {
    if (options.isMetricsEnabled()) {
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setJvmMetricsEnabled(true)
          // registries are looked up by name in a JVM-wide map: one name per node keeps nodes apart
          .setRegistryName("switchboard-" + options.getNodeName()));
    }
    vertxOptions.setPreferNativeTransport(options.getHttp().isNativeTransport());
    PemFiles tls = options.getCluster().getTls();
    if (tls != null) {
      // mutual TLS: a node only talks to, and only accepts, nodes whose certificate it trusts
      vertxOptions.getEventBusOptions()
          .setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath()).setKeyPath(tls.keyPath()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.trustPath()))
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return new NodeVertxBuilder()
        .with(vertxOptions)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(cluster);
  }
}
