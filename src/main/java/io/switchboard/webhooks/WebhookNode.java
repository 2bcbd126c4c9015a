package io.switchboard.webhooks;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.backend.BackendClient;
import io.switchboard.config.SwitchboardOptions;
import io.switchboard.config.WebhookOptions;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.store.Store;
import io.switchboard.store.MessageIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;

/**
 * The webhooks of one node: what queues events ({@link #events()}), the queue (the HTTP API reads its
 * dead letters), and the delivery, which runs on every node and delivers while the node holds the
 * queue's lease. Without {@code webhooks.url}, nothing is queued and nothing runs.
 */
public final class WebhookNode {

  private static final WebhookNode DISABLED = new WebhookNode(null, WebhookEvents.NONE, null, null, null);

  private final EventQueue queue;
  private final WebhookEvents events;
  private final WebhookDelivery delivery;
  private final OutboxSweeper sweeper;
  private final BackendClient client;

  private WebhookNode(EventQueue queue, WebhookEvents events, WebhookDelivery delivery, OutboxSweeper sweeper,
                      BackendClient client) {
    this.queue = queue;
    this.events = events;
    this.delivery = delivery;
    this.sweeper = sweeper;
    this.client = client;
  }

  public static WebhookNode disabled() {
    return DISABLED;
  }

  /**
   * @param context where the delivery runs (the node's own context)
   * @param queue   the store's queue: Redis for a Redis store, in memory for the in-memory store
   * @param store   the store: which devices of a user acked what, and the messages of notes left by other nodes
   */
  public static WebhookNode create(Vertx vertx, Context context, SwitchboardOptions options, EventQueue queue,
                                   PresenceRegistry presence, Store store, MeterRegistry registry, Clock clock) {
    WebhookOptions webhooks = options.getWebhooks();
    if (!webhooks.isEnabled()) {
      return DISABLED;
    }
    WebhookMetrics metrics = new WebhookMetrics(registry);
    BackendClient client = new BackendClient(vertx, options.getBackend().getSecrets(), Clock.systemUTC());
    // one consumer per process: a restarted node must not find its predecessor's entries its own
    String consumer = options.getNodeName() + "-" + MessageIds.next();
    WebhookDelivery delivery = new WebhookDelivery(vertx, context, queue, client, webhooks, metrics, consumer);
    Webhooks events = new Webhooks(vertx, queue, webhooks, presence, store, metrics, clock);
    OutboxSweeper sweeper = new OutboxSweeper(vertx, context, queue, store, events, webhooks, delivery::leading);
    return new WebhookNode(queue, events, delivery, sweeper, client);
  }

  public boolean enabled() {
    return queue != null;
  }

  /** Where the node's parts report what happens. */
  public WebhookEvents events() {
    return events;
  }

  /** The queue; null when webhooks are off. */
  public EventQueue queue() {
    return queue;
  }

  public void start() {
    if (delivery != null) {
      delivery.start();
      sweeper.start();
    }
  }

  public Future<Void> stop() {
    if (delivery == null) {
      return Future.succeededFuture();
    }
    sweeper.stop();
    return delivery.stop().compose(v -> client.close());
  }
}
