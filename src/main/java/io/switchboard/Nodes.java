package io.switchboard;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.config.SwitchboardOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** How a Vert.x instance for a node is built, shared by the launcher and the tests. */
public final class Nodes {

  private Nodes() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Vert.x with its own metrics (HTTP, event bus, JVM) reporting into the node's registry, and the
   * Hazelcast cluster manager (used only when built clustered: cluster.xml plus the cluster.* settings).
   */
  /** cluster.xml plus the cluster.* settings; Hazelcast starts only if Vert.x is built clustered. */
  public static HazelcastClusterManager clusterManager(SwitchboardOptions options) {
    return new HazelcastClusterManager(HazelcastSetup.config(options.getCluster()));
  }

  public static VertxBuilder vertxBuilder(VertxOptions vertxOptions, SwitchboardOptions options,
                                          PrometheusMeterRegistry registry, HazelcastClusterManager cluster) {
    if (options.isMetricsEnabled()) {
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setJvmMetricsEnabled(true)
          // registries are looked up by name in a JVM-wide map: one name per node keeps nodes apart
          .setRegistryName("switchboard-" + options.getNodeName()));
    }
    return Vertx.builder()
        .with(vertxOptions)
        .withMetrics(new MicrometerMetricsFactory(registry))
        .withClusterManager(cluster);
  }
}
