package io.switchboard.routing;

import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.store.MessageLog;
import io.switchboard.webhooks.WebhookEvents;
import io.vertx.core.Future;

/**
 * The one way a message enters the system, for clients, the HTTP API and verticles alike: append
 * to the stream's log (which assigns the seq), then publish on the stream's address. Permission
 * checks are the caller's: this class trusts {@code from}.
 */
public final class Publisher {

  /** What the sender is told: seq is 0 for a transient message. */
  public record Sent(String stream, long seq, long epoch, String id, boolean duplicate) {
  }

  private final MessageLog log;
  private final StreamBus bus;
  private final GatewayMetrics metrics;
  private final WebhookEvents webhooks;

  public Publisher(MessageLog log, StreamBus bus, GatewayMetrics metrics) {
    this(log, bus, metrics, WebhookEvents.NONE);
  }

  /** @param webhooks told of every message stored (a duplicate send is not a second message) */
  public Publisher(MessageLog log, StreamBus bus, GatewayMetrics metrics, WebhookEvents webhooks) {
    this.log = log;
    this.bus = bus;
    this.metrics = metrics;
    this.webhooks = webhooks;
  }

  /**
   * @param body   the body as JSON text
   * @param id     the sender's message id for idempotent retry, or null
   * @param skipSession for transient messages, the sending session (it does not get its own back)
   */
  public Future<Sent> send(String from, String stream, String body, String id, boolean transientOnly, String skipSession) {
    if (transientOnly) {
      String messageId = id != null ? id : MessageIds.next();
      bus.publish(Delivery.transientMessage(stream, messageId, from, body, System.currentTimeMillis(), skipSession));
      metrics.messageSent(stream, false);
      return Future.succeededFuture(new Sent(stream, 0, 0, messageId, false));
    }
    return log.append(new AppendRequest(stream, from, body, id, webhooks.wants(stream))).map(result -> {
      publish(result);
      if (!result.duplicate()) {
        metrics.messageSent(stream, true);
        webhooks.stored(result.message(), result.outboxId());
      }
      return new Sent(stream, result.seq(), result.epoch(), result.id(), result.duplicate());
    });
  }

  private void publish(AppendResult result) {
    if (result.message() != null) {
      // a retried send is published again: if the first publish died with its node, this closes the
      // hole for live receivers; those who already have it drop it by seq
      bus.publish(Delivery.message(result.message(), result.duplicate() ? 0 : GatewayMetrics.nowMicros()));
    }
  }
}
