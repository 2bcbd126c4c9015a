package io.switchboard.webhooks;

import io.switchboard.config.WebhookOptions;
import io.switchboard.store.MessageLog;
import io.switchboard.store.StoredMessage;
import io.switchboard.util.LogEvery;
import io.switchboard.util.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Produces the events of messages and membership changes whose node never settled their outbox
 * notes: it died between storing the change and queueing its events (or during
 * {@code webhooks.undeliveredDelayMs} or {@code webhooks.ackTimeoutMs}), or could not reach the queue. Runs where the events are delivered
 * (the lease holder), every {@code webhooks.takeoverMs}, and takes a note for orphaned once it is
 * older than every wait its node could still be in plus {@code webhooks.takeoverMs}: a node that is
 * merely slow then queues the same events twice, with the same ids, rather than never.
 */
final class OutboxSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxSweeper.class);
  /** Notes recovered per round; while there are more, the next round follows {@link #AGAIN_MS} later. */
  static final int ROUND = 100;
  static final long AGAIN_MS = 100;

  private final Vertx vertx;
  private final Context context;
  private final EventQueue queue;
  private final MessageLog log;
  private final Webhooks webhooks;
  private final BooleanSupplier leading;
  private final long orphanAfterMs;
  private final long everyMs;
  private final LogEvery failures = new LogEvery(Webhooks.LOG_EVERY_MS, TimeUnit.MILLISECONDS);
  private long timer = -1;
  private boolean busy;
  private boolean stopped;

  /** @param leading whether this node delivers now (asked on the context) */
  OutboxSweeper(Vertx vertx, Context context, EventQueue queue, MessageLog log, Webhooks webhooks, WebhookOptions options,
                BooleanSupplier leading) {
    this.vertx = vertx;
    this.context = context;
    this.queue = queue;
    this.log = log;
    this.webhooks = webhooks;
    this.leading = leading;
    this.orphanAfterMs = (long) options.getUndeliveredDelayMs() + options.getAckTimeoutMs() + options.getTakeoverMs();
    this.everyMs = options.getTakeoverMs();
  }

  void start() {
    context.runOnContext(v -> timer = vertx.setPeriodic(everyMs, t -> sweep()));
  }

  void stop() {
    context.runOnContext(v -> {
      stopped = true;
      vertx.cancelTimer(timer);
    });
  }

  private void sweep() {
    if (busy || stopped || !leading.getAsBoolean()) {
      return;
    }
    busy = true;
    OnContext.back(context, queue.unsettled(orphanAfterMs, ROUND).compose(this::recover)).onComplete(ar -> {
      busy = false;
      if (ar.failed()) {
        failures.record(1, n -> LOG.warn("Cannot look for webhook events left by other nodes (" + n + " time(s) in the "
            + "last minute): " + ar.cause().getMessage()));
      } else if (ar.result() >= ROUND) {
        // more are waiting (a node died with many): the next round soon, not a tight loop if they cannot be settled
        vertx.setTimer(AGAIN_MS, t -> sweep());
      }
    });
  }

  /** @return how many notes were found */
  private Future<Integer> recover(List<EventQueue.Note> notes) {
    if (!notes.isEmpty()) {
      LOG.info("Queueing the webhook events of " + notes.size() + " stored message(s) or membership change(s) whose node "
          + "did not");
    }
    List<Future<Void>> done = new ArrayList<>(notes.size());
    notes.forEach(n -> done.add((n.message() == null ? Future.succeededFuture(n) : withBody(n)).compose(webhooks::recover)));
    return Future.join(done).transform(ar -> Future.succeededFuture(notes.size()));
  }

  /** The note with its message's body read from the log; a message the log no longer holds keeps a null body. */
  private Future<EventQueue.Note> withBody(EventQueue.Note note) {
    StoredMessage m = note.message();
    return log.read(m.stream(), m.seq(), 1).map(page -> {
      if (page.epoch() == m.epoch() && !page.messages().isEmpty() && page.messages().get(0).seq() == m.seq()) {
        return new EventQueue.Note(note.id(), page.messages().get(0));
      }
      return note;
    }).otherwise(note);
  }
}
