package io.switchboard.client;

/**
 * Gives the client a JWT. Called before the first connection, after the node refused the last one
 * (4401), and before the last one expires (then the live connection gets it in a {@code refresh}
 * frame, with no reconnect). Called on the client's own background thread, never the callback
 * executor: it may block (e.g. an HTTP call to the app's backend).
 */
public interface TokenProvider {
  /**
   * @return a JWT for the user; null or empty is an error
   * @throws Exception when no token can be had now (reported as an {@link ErrorCode#TOKEN} error
   *     event; the client retries with backoff)
   */
  String fetchToken() throws Exception;
}
