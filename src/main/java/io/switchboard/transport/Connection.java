package io.switchboard.transport;

import io.switchboard.protocol.CloseCode;

/**
 * The socket as the session sees it. Kept apart from Vert.x's ServerWebSocket so that a leaner
 * transport can carry the same sessions.
 */
public interface Connection {

  void start(ConnectionHandler handler);

  void send(String text);

  /**
   * Sends a complete, pre-encoded WebSocket text frame (header and payload). Server frames are not
   * masked, so one encoding serves every recipient of a fan-out.
   */
  void sendEncoded(byte[] frame);

  void close(CloseCode code, String reason);

  /**
   * True from when the outbound queue reaches its bound until it drains below half of it (then the
   * handler hears {@link ConnectionHandler#onWritable()}). Writes are still accepted: holding back is
   * the caller's decision, since only it knows what can be fetched again later.
   */
  boolean writeQueueFull();

  /** Bytes written and not yet handed to the socket. */
  long queuedBytes();

  /** Stops reading frames until {@link #resume()}. */
  void pause();

  void resume();

  String remoteAddress();
}
