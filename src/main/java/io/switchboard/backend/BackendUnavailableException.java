package io.switchboard.backend;

/**
 * The backend did not answer a proxy call in time, or answered with something other than a decision
 * (5xx, an unexpected status, a body that is not the documented JSON). The client is told to try
 * again; nothing is decided for it.
 */
public class BackendUnavailableException extends RuntimeException {

  public BackendUnavailableException(String message) {
    super(message, null, false, false);
  }
}
