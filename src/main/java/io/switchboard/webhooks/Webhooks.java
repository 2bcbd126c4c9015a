package io.switchboard.webhooks;

import io.switchboard.auth.GlobPattern;
import io.switchboard.config.WebhookOptions;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.StoredMessage;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns what happens on the node into webhook events and queues them. Queueing never blocks the
 * caller, and what cannot be queued (Redis unreachable) is counted and logged, not retried: the
 * caller's work (a send, a join) has succeeded and is not undone for it.
 */
public final class Webhooks implements WebhookEvents {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  /** At most one line per minute about events dropped or not queued, with how many since the last. */
  static final long LOG_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final EventQueue queue;
  private final WebhookOptions options;
  private final PresenceRegistry presence;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final List<GlobPattern> storedStreams;
  private final AtomicLong lastFullLog = new AtomicLong();
  private final AtomicLong fullSinceLog = new AtomicLong();
  private final AtomicLong lastFailLog = new AtomicLong();
  private final AtomicLong failedSinceLog = new AtomicLong();

  public Webhooks(Vertx vertx, EventQueue queue, WebhookOptions options, PresenceRegistry presence,
                  WebhookMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.queue = queue;
    this.options = options;
    this.presence = presence;
    this.metrics = metrics;
    this.clock = clock;
    this.storedStreams = options.getStoredStreams().stream().map(GlobPattern::new).toList();
  }

  @Override
  public void stored(StoredMessage m) {
    if (options.sends(EventJson.STORED) && storedStreams.stream().anyMatch(p -> p.matches(m.stream()))) {
      enqueue(EventJson.stored(m, clock.millis()));
    }
    if (options.sends(EventJson.UNDELIVERED) && StreamName.kindOf(m.stream()) == StreamName.Kind.USER) {
      if (options.getUndeliveredDelayMs() > 0) {
        vertx.setTimer(options.getUndeliveredDelayMs(), t -> undeliveredIfOffline(m));
      } else {
        undeliveredIfOffline(m);
      }
    }
  }

  private void undeliveredIfOffline(StoredMessage m) {
    presence.isOnline(StreamName.idOf(m.stream())).onComplete(ar -> {
      // presence unknown: a push too many is better than a message nobody hears of
      if (ar.failed() || !ar.result()) {
        enqueue(EventJson.undelivered(m, options.getPreviewChars(), options.isIncludeBody(), clock.millis()));
      }
    });
  }

  @Override
  public void online(String user) {
    if (options.sends(EventJson.ONLINE)) {
      enqueue(EventJson.presence(EventJson.ONLINE, user, clock.millis()));
    }
  }

  @Override
  public void offline(String user) {
    if (options.sends(EventJson.OFFLINE)) {
      enqueue(EventJson.presence(EventJson.OFFLINE, user, clock.millis()));
    }
  }

  @Override
  public void joined(String room, String user) {
    if (options.sends(EventJson.JOINED)) {
      enqueue(EventJson.membership(EventJson.JOINED, room, user, clock.millis()));
    }
  }

  @Override
  public void left(String room, String user) {
    if (options.sends(EventJson.LEFT)) {
      enqueue(EventJson.membership(EventJson.LEFT, room, user, clock.millis()));
    }
  }

  private void enqueue(JsonObject event) {
    queue.add(List.of(event.encode())).onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.queued(1);
        if (ar.result() > 0) {
          metrics.deadLettered(EventQueue.QUEUE_FULL, ar.result());
          rateLimited(lastFullLog, fullSinceLog, ar.result(), n -> "Webhook queue full (webhooks.queueCap="
              + options.getQueueCap() + "): " + n + " oldest event(s) moved to the dead letters in the last minute");
        }
      } else {
        metrics.notQueued();
        rateLimited(lastFailLog, failedSinceLog, 1, n -> n + " webhook event(s) could not be queued in the last minute, "
            + "and are lost: " + ar.cause().getMessage());
      }
    });
  }

  private static void rateLimited(AtomicLong last, AtomicLong since, long count, java.util.function.LongFunction<String> line) {
    long total = since.addAndGet(count);
    long now = System.currentTimeMillis();
    long before = last.get();
    if (now - before >= LOG_EVERY_MS && last.compareAndSet(before, now)) {
      since.addAndGet(-total);
      LOG.warn(line.apply(total));
    }
  }
}
