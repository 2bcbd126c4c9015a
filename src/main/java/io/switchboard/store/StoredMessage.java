package io.switchboard.store;

/**
 * One entry of a stream's log.
 *
 * @param body the message body as JSON text, exactly as the sender's JSON value encodes
 * @param ts   append time, epoch milliseconds (the store's clock)
 */
public record StoredMessage(String stream, long seq, String id, String from, String body, long ts) {
}
