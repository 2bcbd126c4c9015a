package io.switchboard.webhooks;

import io.switchboard.backend.BackendClient;
import io.switchboard.config.WebhookOptions;
import io.switchboard.util.OnContext;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Delivers the queued events to the backend, from whichever node holds the queue's lease: one batch
 * in flight at a time, retried until it is accepted or its retry time is over, before the next is
 * taken. So what is delivered follows queue order, and an entry another node left pending (it died)
 * is delivered before anything queued after it.
 *
 * <p>Everything here runs on one context; the queue's and the client's futures are brought back to
 * it. Nothing blocks: waiting is timers.
 */
public final class WebhookDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

  private final Vertx vertx;
  private final Context context;
  private final EventQueue queue;
  private final BackendClient client;
  private final WebhookOptions options;
  private final WebhookMetrics metrics;
  private final String consumer;
  private final Backoff backoff;

  private boolean leader;
  /** Changes whenever the lease is won or lost: a callback of an earlier term does nothing. */
  private int term;
  private boolean stopped;
  /** A take, a POST or a wait for a retry is under way: nothing else starts. */
  private boolean busy;
  private long pumpTimer = -1;
  private long leaseTimer = -1;
  private final List<EventQueue.Entry> batch = new ArrayList<>();
  /** The last id taken while this node leads: the next take starts after it. */
  private String lastTaken = EventQueue.START;
  private long firstFailureAt;
  private int retries;

  /** @param consumer names this node in the queue (unique per process: a restarted node is a new consumer) */
  public WebhookDelivery(Vertx vertx, Context context, EventQueue queue, BackendClient client, WebhookOptions options,
                         WebhookMetrics metrics, String consumer) {
    this.vertx = vertx;
    this.context = context;
    this.queue = queue;
    this.client = client;
    this.options = options;
    this.metrics = metrics;
    this.consumer = consumer;
    this.backoff = new Backoff(options.getBackoffMinMs(), options.getBackoffMaxMs());
  }

  public void start() {
    context.runOnContext(v -> {
      // renewed three times per lease: a slow Redis answer does not cost the lease
      leaseTimer = vertx.setPeriodic(Math.max(100, options.getTakeoverMs() / 3), t -> renew());
      renew();
    });
  }

  /** Stops delivering and gives the lease up, so another node takes over at once. */
  public Future<Void> stop() {
    return OnContext.back(context, Future.succeededFuture()).compose(v -> {
      stopped = true;
      term++;
      vertx.cancelTimer(leaseTimer);
      vertx.cancelTimer(pumpTimer);
      boolean wasLeader = leader;
      leader = false;
      return wasLeader ? queue.resign(consumer).recover(e -> Future.succeededFuture()) : Future.succeededFuture();
    });
  }

  /** Whether this node holds the lease and delivers; asked on its context. */
  boolean leading() {
    return leader && !stopped;
  }

  private void renew() {
    if (stopped) {
      return;
    }
    OnContext.back(context, queue.lead(consumer, options.getTakeoverMs())).onComplete(ar -> {
      boolean was = leader;
      leader = ar.succeeded() && ar.result() && !stopped;
      if (leader != was) {
        // what was taken and not acked stays pending: whoever leads next takes it again, first
        term++;
        busy = false;
        batch.clear();
        resetRetries();
        lastTaken = EventQueue.START;
        vertx.cancelTimer(pumpTimer);
        if (leader) {
          LOG.info("Delivering webhook events to " + options.getUrl());
          pumpSoon(0);
        } else {
          LOG.warn("No longer delivering webhook events (lease lost"
              + (ar.failed() ? ": " + ar.cause().getMessage() : " to another node") + ")");
        }
      }
      if (leader) {
        OnContext.back(context, queue.sizes()).onSuccess(metrics::sizes);
      } else {
        metrics.notDelivering();
      }
    });
  }

  private void pumpSoon(long delayMs) {
    vertx.cancelTimer(pumpTimer);
    if (delayMs <= 0) {
      pumpTimer = -1;
      context.runOnContext(v -> pump());
    } else {
      pumpTimer = vertx.setTimer(delayMs, t -> pump());
    }
  }

  /** Fills the batch, and sends it once full or once its oldest event has waited webhooks.maxWaitMs. */
  private void pump() {
    if (!leader || stopped || busy) {
      return;
    }
    busy = true;
    int mine = term;
    OnContext.back(context, queue.take(consumer, lastTaken, options.getBatchSize() - batch.size())).onComplete(ar -> {
      if (mine != term || stopped) {
        return;
      }
      busy = false;
      if (ar.failed()) {
        LOG.warn("Cannot read the webhook queue: " + ar.cause().getMessage());
        pumpSoon(options.getMaxWaitMs());
        return;
      }
      batch.addAll(ar.result());
      if (!ar.result().isEmpty()) {
        lastTaken = ar.result().get(ar.result().size() - 1).id();
      }
      if (batch.isEmpty()) {
        pumpSoon(options.getMaxWaitMs());
        return;
      }
      long waited = System.currentTimeMillis() - batch.get(0).queuedAt();
      if (batch.size() >= options.getBatchSize() || waited >= options.getMaxWaitMs()) {
        send();
      } else {
        pumpSoon(Math.min(options.getMaxWaitMs() - waited, options.getMaxWaitMs()));
      }
    });
  }

  private void send() {
    busy = true;
    List<EventQueue.Entry> sending = List.copyOf(batch);
    int mine = term;
    OnContext.back(context, client.post(options.getUrl(), body(sending), options.getTimeoutMs())).onComplete(ar -> {
      if (mine != term || stopped) {
        return;
      }
      int status = ar.succeeded() ? ar.result().statusCode() : 0;
      if (status >= 200 && status < 300) {
        delivered(sending);
      } else {
        failed(sending, ar.succeeded() ? "HTTP " + status : ar.cause().toString());
      }
    });
  }

  private void delivered(List<EventQueue.Entry> sent) {
    long now = System.currentTimeMillis();
    sent.forEach(e -> metrics.delivered(1, e.queuedAt(), now));
    int mine = term;
    OnContext.back(context, queue.ack(sent.stream().map(EventQueue.Entry::id).toList())).onComplete(ar -> {
      if (mine != term || stopped) {
        return;
      }
      if (ar.failed()) {
        // they stay pending: the next take starts from the first entry again, so they are sent again
        LOG.warn("Delivered webhook events not acknowledged in the queue (they will be sent again): " + ar.cause().getMessage());
        lastTaken = EventQueue.START;
      }
      next();
    });
  }

  private void failed(List<EventQueue.Entry> sent, String why) {
    long now = System.currentTimeMillis();
    if (firstFailureAt == 0) {
      firstFailureAt = now;
    }
    if (now - firstFailureAt >= options.getRetryForMs()) {
      LOG.warn(sent.size() + " webhook event(s) moved to the dead letters after " + (retries + 1) + " attempt(s) over "
          + (now - firstFailureAt) + " ms; last: " + why);
      int mine = term;
      OnContext.back(context, queue.deadLetter(sent, EventQueue.RETRIES_EXHAUSTED)).onComplete(ar -> {
        if (mine != term || stopped) {
          return;
        }
        if (ar.succeeded()) {
          metrics.deadLettered(EventQueue.RETRIES_EXHAUSTED, sent.size());
          next();
        } else {
          LOG.warn("Cannot move webhook events to the dead letters: " + ar.cause().getMessage());
          retryLater(sent);
        }
      });
      return;
    }
    if (retries == 0) {
      LOG.warn("Webhook POST to " + options.getUrl() + " failed (" + why + "); retrying for up to "
          + options.getRetryForMs() + " ms");
    }
    metrics.retried(sent.size());
    retryLater(sent);
  }

  private void retryLater(List<EventQueue.Entry> sent) {
    retries++;
    pumpTimer = vertx.setTimer(Math.max(1, backoff.delay(retries)), t -> send());
  }

  private void next() {
    busy = false;
    batch.clear();
    resetRetries();
    pumpSoon(0);
  }

  private void resetRetries() {
    firstFailureAt = 0;
    retries = 0;
  }

  /** {@code {"events":[...]}}: the events exactly as queued, so their ids and fields never change between attempts. */
  static Buffer body(List<EventQueue.Entry> entries) {
    Buffer out = Buffer.buffer("{\"events\":[");
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.appendString(",");
      }
      out.appendString(entries.get(i).event());
    }
    return out.appendString("]}");
  }
}
