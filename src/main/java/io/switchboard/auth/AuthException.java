package io.switchboard.auth;

import io.switchboard.protocol.CloseCode;

/**
 * A token was missing, malformed, forged, expired or carried unusable claims (the client may try
 * again with a fresh one: 4401), or the backend refused the client outright (4403).
 */
public class AuthException extends RuntimeException {

  private final boolean forbidden;

  public AuthException(String message) {
    this(message, false);
  }

  public AuthException(String message, boolean forbidden) {
    super(message, null, false, false);
    this.forbidden = forbidden;
  }

  /** Refused for good: a fresh token would not help. */
  public boolean forbidden() {
    return forbidden;
  }

  /** What the connection is closed with: 4403 when refused for good, else 4401. */
  public CloseCode closeCode() {
    return forbidden ? CloseCode.FORBIDDEN : CloseCode.UNAUTHORIZED;
  }

  /**
   * The refusal a failed authentication stands for. The verifier and the proxies fail only with
   * AuthException; anything else must still refuse, and never echo internals in the close reason.
   */
  public static AuthException of(Throwable cause) {
    return cause instanceof AuthException e ? e : new AuthException("invalid token");
  }
}
