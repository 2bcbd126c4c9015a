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
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

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
  public boolean wants(String stream) {
    return storedEventFor(stream) || undeliveredFor(stream);
  }

  private boolean storedEventFor(String stream) {
    return options.sends(EventJson.STORED) && storedStreams.stream().anyMatch(p -> p.matches(stream));
  }

  private boolean undeliveredFor(String stream) {
    return options.sends(EventJson.UNDELIVERED) && StreamName.kindOf(stream) == StreamName.Kind.USER;
  }

  @Override
  public void stored(StoredMessage m, String outboxId) {
    produce(m, outboxId == null ? null : new EventQueue.Note(outboxId, m), false);
  }

  /**
   * Produces the events of a note that its node left unsettled (it died, or could not queue), with
   * every wait already past: presence and acks are read now.
   *
   * @return completes once the note is settled, or left for a later try
   */
  Future<Void> recover(EventQueue.Note note) {
    return note.membership() != null ? membership(note.membership(), note.id()) : produce(note.message(), note, true);
  }

  /**
   * The events of a stored message. {@code message.stored} is queued at once; the note, if any, is
   * settled with the last event the message makes (or once it is known to make none), so a node that
   * dies on the way leaves it for {@link #recover}.
   */
  private Future<Void> produce(StoredMessage m, EventQueue.Note note, boolean late) {
    boolean undelivered = undeliveredFor(m.stream());
    boolean noted = note != null;
    List<String> stored = storedEventFor(m.stream()) ? List.of(EventJson.stored(m, clock.millis()).encode()) : List.of();
    if (!undelivered) {
      return enqueue(stored, note, noted).mapEmpty();
    }
    // a message.stored not queued leaves the note unsettled, whatever comes next: both are made again from it
    Future<EventQueue.Note> first = stored.isEmpty() ? Future.succeededFuture(note)
        : enqueue(stored, null, noted).map(queued -> queued ? note : null);
    return first.compose(settles -> {
      if (late || options.getUndeliveredDelayMs() <= 0) {
        return undeliveredIfOffline(m, settles, noted, late);
      }
      Promise<Void> done = Promise.promise();
      vertx.setTimer(options.getUndeliveredDelayMs(), t -> undeliveredIfOffline(m, settles, noted, false).onComplete(done));
      return done.future();
    });
  }

  /** @param noted whether the outbox holds the message (settled by {@code note} when not null) */
  private Future<Void> undeliveredIfOffline(StoredMessage m, EventQueue.Note note, boolean noted, boolean late) {
    String user = StreamName.idOf(m.stream());
    return presence.isOnline(user).transform(ar -> {
      // presence unknown: a push too many is better than a message nobody hears of
      if (ar.failed() || !ar.result()) {
        return cursors.devices(user).recover(e -> Future.succeededFuture(List.of()))
            .compose(devices -> enqueue(List.of(undelivered(m, EventJson.NOBODY_ONLINE, devices)), note, noted).mapEmpty());
      }
      if (options.getAckTimeoutMs() <= 0 || user.equals(m.from())) {
        // online, and nobody waits for acks (nor for what the user sent to their own other devices)
        return enqueue(List.of(), note, noted).mapEmpty();
      }
      // online somewhere: the devices that have not acked it by then are told (a phone asleep while a laptop is open)
      if (late) {
        return undeliveredIfUnacked(m, note, noted, user);
      }
      Promise<Void> done = Promise.promise();
      vertx.setTimer(options.getAckTimeoutMs(), t -> undeliveredIfUnacked(m, note, noted, user).onComplete(done));
      return done.future();
    });
  }

  private Future<Void> undeliveredIfUnacked(StoredMessage m, EventQueue.Note note, boolean noted, String user) {
    Position message = new Position(m.seq(), m.epoch());
    return cursors.devices(user).compose(devices -> {
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
    }).transform(ar -> {
      if (ar.failed()) {
        // a note stays unsettled: whoever delivers checks again later
        failures.record(1, n -> LOG.warn(n + " message(s) could not be checked for devices that did not ack them in the "
            + "last minute" + (noted ? " (checked again later)" : "") + ": " + ar.cause().getMessage()));
        return Future.succeededFuture();
      }
      List<String> events = ar.result().isEmpty() ? List.of() : List.of(undelivered(m, EventJson.NOT_ACKED, ar.result()));
      return enqueue(events, note, noted).mapEmpty();
    });
  }

  private String undelivered(StoredMessage m, String reason, List<String> devices) {
    return EventJson.undelivered(m, reason, devices, options.getPreviewChars(), options.isIncludeBody(), clock.millis())
        .encode();
  }

  @Override
  public void online(String user) {
    if (options.sends(EventJson.ONLINE)) {
      enqueue(List.of(EventJson.presence(EventJson.ONLINE, user, clock.millis()).encode()), null, false);
    }
  }

  @Override
  public void offline(String user) {
    if (options.sends(EventJson.OFFLINE)) {
      enqueue(List.of(EventJson.presence(EventJson.OFFLINE, user, clock.millis()).encode()), null, false);
    }
  }

  @Override
  public boolean wantsMembership(boolean joined) {
    return options.sends(joined ? EventJson.JOINED : EventJson.LEFT);
  }

  @Override
  public void joined(String room, String user, String outboxId) {
    membership(new EventQueue.MembershipNote(true, room, user, clock.millis()), outboxId);
  }

  @Override
  public void left(String room, String user, String outboxId) {
    membership(new EventQueue.MembershipNote(false, room, user, clock.millis()), outboxId);
  }

  private Future<Void> membership(EventQueue.MembershipNote change, String outboxId) {
    if (!wantsMembership(change.joined())) {
      return Future.succeededFuture();
    }
    EventQueue.Note note = outboxId == null ? null : new EventQueue.Note(outboxId, change);
    return enqueue(List.of(EventJson.membership(change, outboxId).encode()), note, note != null).mapEmpty();
  }

  /**
   * Queues the events and settles the note with them. Never fails: what cannot be queued is counted
   * and logged, and is lost unless a note keeps it (then whoever delivers queues it later).
   *
   * @param kept whether a note of the store's outbox still holds these events if they are not queued
   * @return whether they were queued
   */
  private Future<Boolean> enqueue(List<String> events, EventQueue.Note settles, boolean kept) {
    return queue.add(events, settles == null ? List.of() : List.of(settles)).transform(ar -> {
      if (ar.succeeded()) {
        metrics.queued(events.size());
        if (ar.result() > 0) {
          metrics.deadLettered(EventQueue.QUEUE_FULL, ar.result());
          queueFull.record(ar.result(), n -> LOG.warn("Webhook queue full (webhooks.queueCap="
              + options.getQueueCap() + "): " + n + " oldest event(s) moved to the dead letters in the last minute"));
        }
        return Future.succeededFuture(true);
      }
      if (kept) {
        failures.record(1, n -> LOG.warn(n + " message(s) whose webhook events could not be queued in the last minute; "
            + "the outbox keeps them and they are queued later: " + ar.cause().getMessage()));
      } else if (!events.isEmpty()) {
        metrics.notQueued();
        failures.record(1, n -> LOG.warn(n + " webhook event(s) could not be queued in the last minute, "
            + "and are lost: " + ar.cause().getMessage()));
      }
      return Future.succeededFuture(false);
    });
  }
}
