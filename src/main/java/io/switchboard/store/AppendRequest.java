package io.switchboard.store;

/**
 * @param clientId the sender's message id for idempotent retry, or null to let the store make one
 * @param outbox   the webhooks must hear of this message even if the node dies right after storing
 *                 it: a store that outlives the node notes it in the same atomic step
 *                 ({@link AppendResult#outboxId()}); one that does not ignores it
 */
public record AppendRequest(String stream, String from, String body, String clientId, boolean outbox) {

  public AppendRequest(String stream, String from, String body, String clientId) {
    this(stream, from, body, clientId, false);
  }
}
