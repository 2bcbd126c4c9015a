package io.switchboard.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.BuildInfo;

/**
 * {@code switchboard_build_info{version, java}} 1: the usual Prometheus "info" series, so a query can
 * tell which version each node runs (during a rolling deploy, say) and join it to other series.
 */
public final class BuildInfoMetric {

  private BuildInfoMetric() {
  }

  public static void register(MeterRegistry registry) {
    Gauge.builder("switchboard.build.info", () -> 1)
        .tag("version", BuildInfo.version())
        .tag("java", BuildInfo.javaVersion())
        .description("always 1; the labels say which Switchboard version runs, on which Java runtime")
        .register(registry);
  }
}
