package io.switchboard.store;

/**
 * One entry of a stream's log.
 *
 * @param epoch the history of the stream the entry belongs to (see {@link Position})
 * @param body  the message body as JSON text, exactly as the sender's JSON value encodes
 * @param ts    append time, epoch milliseconds (the store's clock)
 */
public record StoredMessage(String stream, long seq, long epoch, String id, String from, String body, long ts) {
}
