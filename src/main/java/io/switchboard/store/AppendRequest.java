package io.switchboard.store;

/**
 * @param clientId the sender's message id for idempotent retry, or null to let the store make one
 */
public record AppendRequest(String stream, String from, String body, String clientId) {
}
