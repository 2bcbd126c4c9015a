package io.switchboard.transport;

/** What a {@link Connection} reports, always on the connection's event loop. */
public interface ConnectionHandler {

  /** A complete text message (fragments already reassembled, size already checked). */
  void onText(String text);

  /** Any frame arrived, control frames included: the peer is alive. */
  void onActivity();

  /** The outbound queue, full until now, drained below half its bound: writing may go on. */
  default void onWritable() {
  }

  /** The connection is gone; {@code code} is the close code received or sent, null if none. */
  void onClosed(Short code);
}
