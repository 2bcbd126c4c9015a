package io.switchboard.client;

/** Where a {@link SwitchboardClient} is; every change is a {@link StateChange} event. */
public enum ConnectionState {
  /** Built, {@link SwitchboardClient#connect()} not called yet. */
  IDLE,
  /** An attempt is under way: fetching a token, opening the socket, or waiting for {@code welcome}. */
  CONNECTING,
  /** {@code welcome} received: frames flow. */
  ONLINE,
  /** Disconnected, waiting to reconnect ({@link StateChange#getRetryAt()} says until when). */
  OFFLINE,
  /** {@link SwitchboardClient#pause()} was called: no connection until {@link SwitchboardClient#resume()}. */
  PAUSED,
  /**
   * Stopped: {@link SwitchboardClient#close()} was called (for good), or the server closed with a
   * code that must not be retried ({@link SwitchboardClient#reconnect()} revives the client then).
   */
  CLOSED
}
