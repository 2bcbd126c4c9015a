package io.switchboard.protocol;

/** Codes carried by {"type":"error"} frames. */
public enum ErrorCode {
  BAD_REQUEST("bad_request"),
  FORBIDDEN("forbidden"),
  NOT_FOUND("not_found"),
  TOO_LARGE("too_large"),
  RATE_LIMITED("rate_limited"),
  UNAVAILABLE("unavailable"),
  /** The application's backend refused a send (publish proxy); the frame carries its reason code. */
  REJECTED("rejected"),
  INTERNAL("internal");

  private final String wire;

  ErrorCode(String wire) {
    this.wire = wire;
  }

  /** The code as it appears in the frame. */
  public String wire() {
    return wire;
  }
}
