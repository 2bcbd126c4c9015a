package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Calls to one of the backend's proxies: {@code switchboard_proxy_requests_total{proxy, result}} and
 * the latency histogram {@code switchboard_proxy_request_duration_seconds{proxy}} (buckets, so that it
 * sums across nodes). Registered only for the proxies a node has.
 */
public final class ProxyMetrics {

  public enum Proxy { CONNECT, JOIN, PUBLISH }

  /** ALLOWED and REFUSED are the backend's decisions; FAILED is no decision (timeout, 5xx, a bad answer). */
  public enum Result { ALLOWED, REFUSED, FAILED }

  private final Map<Result, Counter> calls = new EnumMap<>(Result.class);
  private final Timer latency;

  public ProxyMetrics(MeterRegistry registry, Proxy proxy) {
    String name = proxy.name().toLowerCase(Locale.ROOT);
    for (Result r : Result.values()) {
      calls.put(r, Counter.builder("switchboard.proxy.requests").tag("proxy", name).tag("result", r.name().toLowerCase(Locale.ROOT))
          .description("calls to the backend's proxies, by decision").register(registry));
    }
    latency = Timer.builder("switchboard.proxy.request.duration").tag("proxy", name)
        .description("time from a proxy call to the backend's answer (or the timeout)")
        .publishPercentileHistogram().register(registry);
  }

  public void record(Result result, long nanos) {
    calls.get(result).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
  }
}
