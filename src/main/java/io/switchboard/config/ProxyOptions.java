package io.switchboard.config;

import java.net.URI;
import java.util.List;

/**
 * The backend calls a node makes before it decides (docs/proxies.md): who a connecting client is,
 * whether a user may join a room its token does not name, and whether (and as what) a client's send
 * is stored. Each is off until its URL is set.
 */
public class ProxyOptions {

  /** Within the client's hello timeout, with room for the rest of the hello. */
  public static final int DEFAULT_TIMEOUT_MS = 3_000;
  public static final List<String> DEFAULT_PUBLISH_STREAMS = List.of("*");

  private String connectUrl;
  private int connectTimeoutMs = DEFAULT_TIMEOUT_MS;
  private String joinUrl;
  private int joinTimeoutMs = DEFAULT_TIMEOUT_MS;
  private String publishUrl;
  private int publishTimeoutMs = DEFAULT_TIMEOUT_MS;
  private List<String> publishStreams = DEFAULT_PUBLISH_STREAMS;

  static ProxyOptions read(ConfigReader r) {
    ProxyOptions o = new ProxyOptions();
    o.connectUrl = url(r, Setting.PROXY_CONNECT_URL);
    o.connectTimeoutMs = r.integer(Setting.PROXY_CONNECT_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 100, 60_000);
    o.joinUrl = url(r, Setting.PROXY_JOIN_URL);
    o.joinTimeoutMs = r.integer(Setting.PROXY_JOIN_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 100, 60_000);
    o.publishUrl = url(r, Setting.PROXY_PUBLISH_URL);
    o.publishTimeoutMs = r.integer(Setting.PROXY_PUBLISH_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 100, 60_000);
    o.publishStreams = List.copyOf(r.list(Setting.PROXY_PUBLISH_STREAMS, DEFAULT_PUBLISH_STREAMS));
    if (o.publishStreams.isEmpty()) {
      throw r.fail(Setting.PROXY_PUBLISH_STREAMS, "must name at least one stream pattern (\"*\" for all)");
    }
    return o;
  }

  /** An absolute http(s) URL, or null when blank: a typo must not turn a proxy into no proxy. */
  static String url(ConfigReader r, Setting s) {
    String v = r.string(s, null);
    if (v == null || v.isBlank()) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(v.trim());
    } catch (IllegalArgumentException e) {
      throw r.fail(s, "is not a URL: " + e.getMessage());
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw r.fail(s, "must be an absolute http:// or https:// URL, got \"" + v + "\"");
    }
    return uri.toString();
  }

  public boolean anyConfigured() {
    return connectUrl != null || joinUrl != null || publishUrl != null;
  }

  /** Where a hello without a token the node can verify is sent; null when off. */
  public String getConnectUrl() {
    return connectUrl;
  }

  public int getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  /** Where a join of a room the user's token does not allow is sent; null when off. */
  public String getJoinUrl() {
    return joinUrl;
  }

  public int getJoinTimeoutMs() {
    return joinTimeoutMs;
  }

  /** Where a client's send to one of {@link #getPublishStreams()} is sent before it is stored; null when off. */
  public String getPublishUrl() {
    return publishUrl;
  }

  public int getPublishTimeoutMs() {
    return publishTimeoutMs;
  }

  /** Patterns ({@code *} and {@code ?}) of the streams whose sends go to the publish proxy. */
  public List<String> getPublishStreams() {
    return publishStreams;
  }
}
