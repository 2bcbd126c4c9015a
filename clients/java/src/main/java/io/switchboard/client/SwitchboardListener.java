package io.switchboard.client;

/**
 * What the client tells the application. Every method runs on the callback executor, one at a time
 * and in the order the client produced the events (even on an executor with several threads); a
 * method that throws does not stop delivery. Override the ones you need.
 *
 * <p>A message's position counts as delivered (persisted, and acked with a {@code device}) only once
 * {@link #onMessage} returned: a process killed while a message waits for the callback executor gets
 * it again after restart.
 */
public interface SwitchboardListener {
  /** A message, once and in seq order per stream (transient ones have no seq). */
  default void onMessage(Message message) {
  }

  /** Seqs the log no longer holds; before the messages that follow them. */
  default void onGap(Gap gap) {
  }

  /** A stream started over: what had not arrived of its old history is gone. */
  default void onReset(Reset reset) {
  }

  /** Every (re)connection. */
  default void onWelcome(Welcome welcome) {
  }

  /** Every stream caught up after a (re)connection. */
  default void onResumed(Resumed resumed) {
  }

  default void onStateChanged(StateChange change) {
  }

  default void onPresence(Presence presence) {
  }

  /** A room joined by another session of this user (or the HTTP API). */
  default void onJoined(Joined joined) {
  }

  /** A room left by another session of this user (or the HTTP API). */
  default void onLeft(Left left) {
  }

  /** An error no request waits for: a rate-limited frame, a token or storage failure. */
  default void onError(SwitchboardException error) {
  }
}
