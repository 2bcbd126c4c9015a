package io.switchboard.auth;

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
}
