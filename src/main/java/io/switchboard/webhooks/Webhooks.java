package io.switchboard.webhooks;

import io.switchboard.auth.GlobPattern;
import io.switchboard.config.WebhookOptions;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.CursorStore;
import io.switchboard.store.Position;
import io.switchboard.store.StoredMessage;
import io.switchboard.util.LogEvery;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
  private final CursorStore cursors;
  private final WebhookMetrics metrics;
  private final Clock clock;
  private final List<GlobPattern> storedStreams;
  private final LogEvery queueFull = new LogEvery(LOG_EVERY_MS, TimeUnit.MILLISECONDS);
  private final LogEvery failures = new LogEvery(LOG_EVERY_MS, TimeUnit.MILLISECONDS);

  /** @param cursors where the devices of a user and what they acked are read ({@code message.undelivered}) */
  public Webhooks(Vertx vertx, EventQueue queue, WebhookOptions options, PresenceRegistry presence, CursorStore cursors,
                  WebhookMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.queue = queue;
    this.options = options;
    this.presence = presence;
    this.cursors = cursors;
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
    String user = StreamName.idOf(m.stream());
    presence.isOnline(user).onComplete(ar -> {
      // presence unknown: a push too many is better than a message nobody hears of
      if (ar.failed() || !ar.result()) {
        cursors.devices(user).recover(e -> Future.succeededFuture(List.of()))
            .onSuccess(devices -> undelivered(m, EventJson.NOBODY_ONLINE, devices));
      } else if (options.getAckTimeoutMs() > 0 && !user.equals(m.from())) {
        // online somewhere: the devices that have not acked it by then are told (a phone asleep
        // while a laptop is open); not for what the user sent to their own other devices
        vertx.setTimer(options.getAckTimeoutMs(), t -> undeliveredIfUnacked(m, user));
      }
    });
  }

  private void undeliveredIfUnacked(StoredMessage m, String user) {
    Position message = new Position(m.seq(), m.epoch());
    cursors.devices(user).compose(devices -> {
      Map<String, Future<Map<String, Position>>> reads = new LinkedHashMap<>();
      devices.forEach(d -> reads.put(d, cursors.cursors(user, d, List.of(m.stream()))));
      return Future.all(new ArrayList<>(reads.values())).map(v -> {
        List<String> behind = new ArrayList<>();
        reads.forEach((device, read) -> {
          Position acked = read.result().get(m.stream());
          if (acked == null || acked.compareTo(message) < 0) {
            behind.add(device);
          }
        });
        return behind;
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        failures.record(1, n -> LOG.warn(n + " message(s) not checked for devices that did not ack "
            + "them in the last minute: " + ar.cause().getMessage()));
      } else if (!ar.result().isEmpty()) {
        undelivered(m, EventJson.NOT_ACKED, ar.result());
      }
    });
  }

  private void undelivered(StoredMessage m, String reason, List<String> devices) {
    enqueue(EventJson.undelivered(m, reason, devices, options.getPreviewChars(), options.isIncludeBody(), clock.millis()));
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
          queueFull.record(ar.result(), n -> LOG.warn("Webhook queue full (webhooks.queueCap="
              + options.getQueueCap() + "): " + n + " oldest event(s) moved to the dead letters in the last minute"));
        }
      } else {
        metrics.notQueued();
        failures.record(1, n -> LOG.warn(n + " webhook event(s) could not be queued in the last minute, "
            + "and are lost: " + ar.cause().getMessage()));
      }
    });
  }
}
