package io.switchboard.auth;

/** A token was missing, malformed, forged, expired or carried unusable claims. */
public class AuthException extends RuntimeException {

  public AuthException(String message) {
    super(message, null, false, false);
  }
}
