package io.switchboard.store;

/**
 * @param epoch     the stream's epoch the seq belongs to
 * @param duplicate true when (stream, sender, client id) was seen within the idempotency window:
 *                  nothing was appended and seq/id are those of the first send
 * @param message   the stored entry; for a duplicate, null once the original left the log
 */
public record AppendResult(long seq, long epoch, String id, boolean duplicate, StoredMessage message) {
}
