package io.switchboard.auth;

/**
 * What the WebSocket handshake said about a client, for a connect proxy: kept only while a node has
 * one, and only until the hello is answered.
 *
 * @param ip        the client's address (behind trusted proxies, the one they report)
 * @param userAgent {@code User-Agent}, or null
 * @param origin    {@code Origin}, or null (not a browser)
 * @param cookie    {@code Cookie}: a browser's session cookie for the backend's domain, or null
 */
public record ConnectInfo(String ip, String userAgent, String origin, String cookie) {

  /** A refresh has no handshake of its own. */
  public static final ConnectInfo NONE = new ConnectInfo(null, null, null, null);
}
