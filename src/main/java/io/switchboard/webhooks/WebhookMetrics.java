package io.switchboard.webhooks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook meters (Prometheus: {@code switchboard_webhooks_*}). Counts are events, not requests.
 * The queue gauges are read by the node that holds the delivery lease, at each renewal; the other
 * nodes report -1 (nothing measured), so that a sum over nodes is not the length times the nodes.
 */
public final class WebhookMetrics {

  public static final String QUEUED = "switchboard.webhooks.queued";
  public static final String DELIVERED = "switchboard.webhooks.delivered";
  public static final String RETRIED = "switchboard.webhooks.retried";
  public static final String DEAD_LETTERED = "switchboard.webhooks.dead.lettered";
  public static final String LATENCY = "switchboard.webhooks.delivery.latency";
  public static final String QUEUE_LENGTH = "switchboard.webhooks.queue.length";
  public static final String DEAD_LETTERS = "switchboard.webhooks.dead.letters";
  public static final String NOT_QUEUED = "switchboard.webhooks.not.queued";

  private final Counter queued;
  private final Counter delivered;
  private final Counter retried;
  private final Counter notQueued;
  private final Counter queueFull;
  private final Counter retriesExhausted;
  private final Timer latency;
  private final AtomicLong queueLength = new AtomicLong(-1);
  private final AtomicLong deadLetters = new AtomicLong(-1);

  public WebhookMetrics(MeterRegistry registry) {
    queued = Counter.builder(QUEUED).description("Webhook events queued by this node").register(registry);
    delivered = Counter.builder(DELIVERED).description("Webhook events the receiver accepted (2xx)").register(registry);
    retried = Counter.builder(RETRIED).description("Webhook events in a POST that failed and is tried again")
        .register(registry);
    notQueued = Counter.builder(NOT_QUEUED)
        .description("Presence webhook events lost because the queue could not be reached (the outbox keeps the others)")
        .register(registry);
    queueFull = deadLettered(registry, EventQueue.QUEUE_FULL);
    retriesExhausted = deadLettered(registry, EventQueue.RETRIES_EXHAUSTED);
    latency = Timer.builder(LATENCY)
        .description("From an event being queued to the receiver accepting it")
        .publishPercentileHistogram()
        .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMinutes(1))
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofHours(1))
        .distributionStatisticExpiry(DistributionStatisticConfig.DEFAULT.getExpiry())
        .register(registry);
    Gauge.builder(QUEUE_LENGTH, queueLength, AtomicLong::get)
        .description("Webhook events waiting for delivery, cluster-wide (-1 on nodes not delivering)").register(registry);
    Gauge.builder(DEAD_LETTERS, deadLetters, AtomicLong::get)
        .description("Webhook dead letters kept, cluster-wide (-1 on nodes not delivering)").register(registry);
  }

  private static Counter deadLettered(MeterRegistry registry, String reason) {
    return Counter.builder(DEAD_LETTERED).tag("reason", reason)
        .description("Webhook events moved to the dead letters").register(registry);
  }

  void queued(int events) {
    queued.increment(events);
  }

  void notQueued() {
    notQueued.increment();
  }

  void delivered(int events, long queuedAtMs, long nowMs) {
    delivered.increment(events);
    latency.record(Math.max(0, nowMs - queuedAtMs), TimeUnit.MILLISECONDS);
  }

  void retried(int events) {
    retried.increment(events);
  }

  void deadLettered(String reason, int events) {
    (EventQueue.QUEUE_FULL.equals(reason) ? queueFull : retriesExhausted).increment(events);
  }

  void sizes(EventQueue.Sizes sizes) {
    queueLength.set(sizes.queued());
    deadLetters.set(sizes.deadLetters());
  }

  void notDelivering() {
    queueLength.set(-1);
    deadLetters.set(-1);
  }
}
