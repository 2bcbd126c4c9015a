package io.switchboard.metrics;

import com.sun.management.UnixOperatingSystemMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * {@code process_open_fds} and {@code process_max_fds}, under the names Prometheus' own clients
 * use: every connection holds a descriptor, and running out of them is how a node full of
 * connections fails (docs/operations.md, "Capacity"). Micrometer's binder would name them
 * {@code process_files_open_files}, which no existing dashboard or alert knows. Not registered where
 * the JVM cannot tell (not a Unix).
 */
public final class FileDescriptorGauges {

  private FileDescriptorGauges() {
  }

  public static void register(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof UnixOperatingSystemMXBean unix)) {
      return;
    }
    Gauge.builder("process.open.fds", unix, UnixOperatingSystemMXBean::getOpenFileDescriptorCount)
        .description("open file descriptors of the node's process (each connection holds one)").register(registry);
    Gauge.builder("process.max.fds", unix, UnixOperatingSystemMXBean::getMaxFileDescriptorCount)
        .description("the process's limit of open file descriptors (ulimit -n)").register(registry);
  }
}
