package io.switchboard.webhooks;

import io.switchboard.store.StoredMessage;

/**
 * What the rest of the node tells the webhooks. Calls return at once and never fail: queueing is
 * the webhooks' business ({@link Webhooks}), and a node without webhooks uses {@link #NONE}.
 */
public interface WebhookEvents {

  WebhookEvents NONE = new WebhookEvents() {
  };

  /**
   * Whether a message stored in this stream may make an event: it is then noted in the store's
   * outbox as it is stored ({@link io.switchboard.store.AppendRequest#outbox()}).
   */
  default boolean wants(String stream) {
    return false;
  }

  /**
   * A message was appended (not a duplicate of an earlier send).
   *
   * @param outboxId its note in the store's outbox, which the webhooks settle once its events are
   *                 queued; null when the store keeps no outbox
   */
  default void stored(StoredMessage message, String outboxId) {
  }

  /** The user's first session opened (anywhere in the cluster). */
  default void online(String user) {
  }

  /** The user's last session closed, or went with its node. */
  default void offline(String user) {
  }

  /** Whether a membership that begins ({@code joined}) or ends makes an event: the store then notes it in its outbox. */
  default boolean wantsMembership(boolean joined) {
    return false;
  }

  /**
   * The user became a member of the room.
   *
   * @param outboxId the change's note in the store's outbox, or null
   */
  default void joined(String room, String user, String outboxId) {
  }

  default void left(String room, String user, String outboxId) {
  }
}
