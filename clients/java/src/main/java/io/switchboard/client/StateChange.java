package io.switchboard.client;

/**
 * The client's state changed. For {@link ConnectionState#OFFLINE}: why ({@link #getCode()}, {@link
 * #getReason()}) and when the next attempt is ({@link #getRetryAt()}, {@link #getDelayMs()}); for
 * {@link ConnectionState#CLOSED}: why it stopped.
 */
public final class StateChange {
  private final ConnectionState state;
  private final int code;
  private final String reason;
  private final long retryAt;
  private final long delayMs;
  private final int attempt;
  private final String node;

  public StateChange(ConnectionState state, int code, String reason, long retryAt, long delayMs, int attempt,
      String node) {
    this.state = state;
    this.code = code;
    this.reason = reason;
    this.retryAt = retryAt;
    this.delayMs = delayMs;
    this.attempt = attempt;
    this.node = node;
  }

  public ConnectionState getState() {
    return state;
  }

  /** The WebSocket close code behind an OFFLINE or CLOSED state, or 0 (none: a socket error, a timeout). */
  public int getCode() {
    return code;
  }

  public String getReason() {
    return reason;
  }

  /** OFFLINE: when the next attempt starts (ms since the epoch). */
  public long getRetryAt() {
    return retryAt;
  }

  /** OFFLINE: how long until the next attempt. */
  public long getDelayMs() {
    return delayMs;
  }

  /** The reconnect attempt count (0 = first retry) behind the delay. */
  public int getAttempt() {
    return attempt;
  }

  /** The node of the last welcome, or null. */
  public String getNode() {
    return node;
  }

  @Override
  public String toString() {
    return "StateChange{" + state + (code != 0 ? " " + code : "") + (reason != null ? " " + reason : "")
        + (state == ConnectionState.OFFLINE ? " retry in " + delayMs + " ms" : "") + "}";
  }
}
