package io.switchboard.client;

/**
 * Why a request failed or what an {@code error} event reports: the protocol's error codes (sent by
 * the node) and the client's own. {@link #wire()} is the code as written in frames and docs.
 */
public enum ErrorCode {
  /** The node: the frame was malformed (a client bug). Not retried. */
  BAD_REQUEST("bad_request"),
  /** The node: the token does not allow this send or join. Not retried. */
  FORBIDDEN("forbidden"),
  /** The node: an ack for a stream the session does not receive. */
  NOT_FOUND("not_found"),
  /** The node (HTTP API) or the client: the frame would exceed the node's message size limit. */
  TOO_LARGE("too_large"),
  /** The node dropped a frame over its rate limit (an event, never a request's failure). */
  RATE_LIMITED("rate_limited"),
  /** The node: the store did not confirm, after the client's retries with the same id. Maybe stored. */
  UNAVAILABLE("unavailable"),
  /** The node: the application's backend refused this send (publish proxy); the message says why. Not stored, not retried. */
  REJECTED("rejected"),
  /** The node: an unexpected failure. Maybe stored. */
  INTERNAL("internal"),
  /** The client: {@code close()} was called, or the server closed for good. */
  CLOSED("closed"),
  /** The client: a transient send or ping while not connected (they are never queued). */
  OFFLINE("offline"),
  /** The client: {@code maxQueue} requests are already waiting. */
  QUEUE_FULL("queue_full"),
  /** The client: no answer within the idempotency window; a retry could store the message twice. */
  OUTCOME_UNKNOWN("outcome_unknown"),
  /** The client: the {@link TokenProvider} failed or returned nothing. */
  TOKEN("token"),
  /** The client: the {@link ClientStore} failed to read or write. */
  STORAGE("storage"),
  /** A code this client version does not know. */
  UNKNOWN("unknown");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as the protocol writes it ({@code "bad_request"}). */
  public String wire() {
    return wire;
  }

  /** The constant for a code read from a frame; {@link #UNKNOWN} for one this version does not know. */
  public static ErrorCode fromWire(String code) {
    for (ErrorCode c : values()) {
      if (c.wire.equals(code)) {
        return c;
      }
    }
    return UNKNOWN;
  }
}
