package io.switchboard.config;

import io.switchboard.transport.IpRange;

import java.util.ArrayList;
import java.util.List;

/** Where the node listens and who may open a WebSocket to it. */
public class HttpOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** One gateway verticle per core: each owns its sockets and fans out on its own event loop. */
  public static final int DEFAULT_INSTANCES = Runtime.getRuntime().availableProcessors();
  public static final boolean DEFAULT_COMPRESSION = false;
  /** Linux's epoll through Netty's native transport when it loads, Java NIO otherwise. */
  public static final boolean DEFAULT_NATIVE_TRANSPORT = true;
  public static final int DEFAULT_REQUEST_HEAD_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_IDLE_TIMEOUT_MS = 60_000;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int instances = DEFAULT_INSTANCES;
  private List<String> allowedOrigins = new ArrayList<>();
  private boolean compression = DEFAULT_COMPRESSION;
  private boolean nativeTransport = DEFAULT_NATIVE_TRANSPORT;
  private int requestHeadTimeoutMs = DEFAULT_REQUEST_HEAD_TIMEOUT_MS;
  private int idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private List<String> trustedProxies = new ArrayList<>();
  private PemFiles tls;
  /** Null until resolved: unset means "in dev mode only". */
  private Boolean demoPage;

  static HttpOptions read(ConfigReader r) {
    HttpOptions o = new HttpOptions();
    o.host = r.string(Setting.HTTP_HOST, DEFAULT_HOST);
    o.port = r.integer(Setting.HTTP_PORT, DEFAULT_PORT, 0, 65535);
    o.instances = r.integer(Setting.HTTP_INSTANCES, DEFAULT_INSTANCES, 1, 256);
    o.allowedOrigins = r.list(Setting.HTTP_ALLOWED_ORIGINS, new ArrayList<>());
    o.compression = r.bool(Setting.HTTP_COMPRESSION, DEFAULT_COMPRESSION);
    o.nativeTransport = r.bool(Setting.HTTP_NATIVE_TRANSPORT, DEFAULT_NATIVE_TRANSPORT);
    o.demoPage = r.bool(Setting.HTTP_DEMO_PAGE, null);
    for (String origin : o.allowedOrigins) {
      if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
        throw r.fail(Setting.HTTP_ALLOWED_ORIGINS,
            "each origin must be scheme://host[:port] with no path (or \"*\"), got \"" + origin + "\"");
      }
    }
    o.requestHeadTimeoutMs = r.integer(Setting.HTTP_REQUEST_HEAD_TIMEOUT_MS, DEFAULT_REQUEST_HEAD_TIMEOUT_MS, 100, 600_000);
    o.idleTimeoutMs = r.integer(Setting.HTTP_IDLE_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS, 100, 3_600_000);
    o.trustedProxies = r.list(Setting.HTTP_TRUSTED_PROXIES, new ArrayList<>());
    for (String proxy : o.trustedProxies) {
      try {
        IpRange.parse(proxy);
      } catch (IllegalArgumentException e) {
        throw r.fail(Setting.HTTP_TRUSTED_PROXIES, "each entry is an IP address or CIDR block (10.0.0.0/8): " + e.getMessage());
      }
    }
    o.tls = PemFiles.read(r, Setting.HTTP_TLS_CERT_PATH, Setting.HTTP_TLS_KEY_PATH, null);
    if (o.host.isBlank()) {
      throw r.fail(Setting.HTTP_HOST, "must not be empty");
    }
    return o;
  }

  public String getHost() {
    return host;
  }

  public HttpOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** 0 picks a free port (tests use it). */
  public int getPort() {
    return port;
  }

  public HttpOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public int getInstances() {
    return instances;
  }

  public HttpOptions setInstances(int instances) {
    this.instances = instances;
    return this;
  }

  /** Exact origins allowed at the handshake; empty means same-origin only; "*" allows any. */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public HttpOptions setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
    return this;
  }

  public boolean isCompression() {
    return compression;
  }

  public HttpOptions setCompression(boolean compression) {
    this.compression = compression;
    return this;
  }

  /**
   * Whether sockets use Netty's native epoll transport (Linux; lighter per socket than Java NIO).
   * Where it does not load, the node says so at start and uses NIO.
   */
  public boolean isNativeTransport() {
    return nativeTransport;
  }

  public HttpOptions setNativeTransport(boolean nativeTransport) {
    this.nativeTransport = nativeTransport;
    return this;
  }

  /**
   * A connection that has not sent a complete HTTP request head this long after it opened (TLS
   * handshake included) is closed: a slowloris client must not hold a socket for free.
   */
  public int getRequestHeadTimeoutMs() {
    return requestHeadTimeoutMs;
  }

  /** A plain HTTP (not WebSocket) connection with no traffic either way this long is closed. */
  public int getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** IPs and CIDR blocks of proxies whose X-Forwarded-For names the client for the per-IP limits. */
  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  /** The server certificate and key for wss/https, or null for plain ws/http. */
  public PemFiles getTls() {
    return tls;
  }

  public boolean isLoopback() {
    return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  /** Whether the node serves the demo page at {@code /} (the SDK at {@code /sdk/} is always served). */
  public boolean isDemoPage() {
    return Boolean.TRUE.equals(demoPage);
  }

  /** Unset, the demo page is served in dev mode only: a production node shows no chat to strangers. */
  void defaultDemoPage(boolean devMode) {
    if (demoPage == null) {
      demoPage = devMode;
    }
  }
}
