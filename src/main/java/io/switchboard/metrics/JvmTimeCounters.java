package io.switchboard.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;

/**
 * The process's CPU time and the JIT's compilation time in seconds, Prometheus' base unit:
 * {@code process_cpu_seconds_total} (the name of Prometheus' own process collector, which dashboards
 * and alerts already know) and {@code jvm_compilation_time_seconds_total}. Micrometer's binders count
 * them in nanoseconds and milliseconds ({@code process_cpu_time_ns_total},
 * {@code jvm_compilation_time_ms_total}); {@link #REPLACED} keeps those out of the registry. A
 * Prometheus counter's unit cannot be converted by renaming it: these read the MXBeans themselves.
 */
public final class JvmTimeCounters {

  /** Micrometer's meters that these replace: name and unit (its compilation time has this one's name). */
  private static final Map<String, String> REPLACED_UNITS = Map.of("process.cpu.time", "ns", "jvm.compilation.time", "ms");

  /** For the registry's configuration, before any meter is registered. */
  public static final MeterFilter REPLACED = MeterFilter.deny(id ->
      REPLACED_UNITS.containsKey(id.getName()) && REPLACED_UNITS.get(id.getName()).equals(id.getBaseUnit()));

  private static final double NANOS_PER_SECOND = 1e9;
  private static final double MILLIS_PER_SECOND = 1e3;

  private JvmTimeCounters() {
  }

  public static void register(MeterRegistry registry) {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun && sun.getProcessCpuTime() >= 0) {
      FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / NANOS_PER_SECOND)
          .baseUnit("seconds")
          .description("CPU time the node's process used, all threads, user and system")
          .register(registry);
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation.time", jit, b -> b.getTotalCompilationTime() / MILLIS_PER_SECOND)
          .baseUnit("seconds")
          .tag("compiler", jit.getName())
          .description("Approximate time the JIT compilers spent compiling")
          .register(registry);
    }
  }
}
