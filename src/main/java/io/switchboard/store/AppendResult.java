package io.switchboard.store;

/**
 * @param epoch     the stream's epoch the seq belongs to
 * @param duplicate true when (stream, sender, client id) was seen within the idempotency window:
 *                  nothing was appended and seq/id are those of the first send
 * @param message   the stored entry; for a duplicate, null once the original left the log
 * @param outboxId  where the message was noted for the webhooks ({@link AppendRequest#outbox()}), or
 *                  null: not asked, a duplicate, or a store without an outbox
 */
public record AppendResult(long seq, long epoch, String id, boolean duplicate, StoredMessage message, String outboxId) {

  public AppendResult(long seq, long epoch, String id, boolean duplicate, StoredMessage message) {
    this(seq, epoch, id, duplicate, message, null);
  }
}
