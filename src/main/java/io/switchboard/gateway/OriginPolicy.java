package io.switchboard.gateway;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides at the handshake whether a browser page from {@code Origin} may open a WebSocket.
 * Requests without Origin (mobile apps, servers) are always allowed: only browsers send it.
 */
final class OriginPolicy {

  private final boolean any;
  private final Set<String> allowed;

  OriginPolicy(List<String> allowedOrigins) {
    this.any = allowedOrigins.contains("*");
    this.allowed = allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
  }

  /**
   * @param origin the Origin header, or null
   * @param host   the Host header the request was sent to, used for the same-origin rule when no
   *               allow-list is configured
   */
  boolean allows(String origin, String host) {
    if (origin == null || any) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    if (!allowed.isEmpty()) {
      return allowed.contains(o);
    }
    return host != null && authorityOf(o).equals(withDefaultPort(host.toLowerCase(Locale.ROOT), o));
  }

  /** host:port of an origin, with the scheme's default port made explicit. */
  private static String authorityOf(String origin) {
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null) {
        return "";
      }
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      return uri.getHost() + ":" + port;
    } catch (Exception e) {
      return "";
    }
  }

  /** The Host header with the port the origin's scheme implies when it names none. */
  private static String withDefaultPort(String host, String origin) {
    boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
    return hasPort ? host : host + ":" + (origin.startsWith("https:") ? 443 : 80);
  }
}
