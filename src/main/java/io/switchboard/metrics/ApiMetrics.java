package io.switchboard.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code switchboard_api_request_duration_seconds}: requests of the HTTP API by route template,
 * method and status, as a histogram with fixed buckets, so that the nodes' buckets add up to the
 * cluster's percentiles (a per-node percentile could not be averaged). Labels come from closed
 * sets: route templates (never the path a client sent), standard methods, status codes.
 */
public final class ApiMetrics {

  public static final String REQUEST_DURATION = "switchboard.api.request.duration";

  /** From 1 ms (an answer from memory) to 10 s (beyond the API's own 5 s timeouts): 13 buckets. */
  private static final Duration[] BUCKETS = Buckets.millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000);

  private record Key(String route, String method, String status) {
  }

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  public ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void request(String route, String method, String status, long nanos) {
    timers.computeIfAbsent(new Key(route, method, status), this::register).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer register(Key key) {
    return Timer.builder(REQUEST_DURATION)
        .tag("route", key.route()).tag("method", key.method()).tag("status", key.status())
        .description("HTTP API requests, from their arrival until the answer is written, by route template")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
