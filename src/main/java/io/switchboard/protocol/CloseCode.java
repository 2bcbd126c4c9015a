package io.switchboard.protocol;

/** WebSocket close codes of protocol v1 and what a client should do after each. */
public enum CloseCode {
  NORMAL(1000, Reconnect.NEVER),
  /** WebSocket-level violation found by the frame decoder (bad opcode, oversized control frame, ...). */
  PROTOCOL_ERROR(1002, Reconnect.NEVER),
  UNSUPPORTED_DATA(1003, Reconnect.NEVER),
  /** A text frame that is not valid UTF-8. */
  INVALID_PAYLOAD(1007, Reconnect.NEVER),
  MESSAGE_TOO_BIG(1009, Reconnect.NEVER),
  INTERNAL_ERROR(1011, Reconnect.BACKOFF),
  SERVICE_RESTART(1012, Reconnect.BACKOFF),
  TRY_AGAIN_LATER(1013, Reconnect.BACKOFF),
  PROTOCOL_VIOLATION(4400, Reconnect.NEVER),
  UNAUTHORIZED(4401, Reconnect.WITH_FRESH_TOKEN),
  FORBIDDEN(4403, Reconnect.NEVER),
  TIMEOUT(4408, Reconnect.BACKOFF),
  RATE_LIMITED(4429, Reconnect.BACKOFF);

  /** The reconnect rule DESIGN.md gives each code. */
  public enum Reconnect { NEVER, BACKOFF, WITH_FRESH_TOKEN }

  private final short code;
  private final Reconnect reconnect;

  CloseCode(int code, Reconnect reconnect) {
    this.code = (short) code;
    this.reconnect = reconnect;
  }

  public short code() {
    return code;
  }

  public Reconnect reconnect() {
    return reconnect;
  }
}
