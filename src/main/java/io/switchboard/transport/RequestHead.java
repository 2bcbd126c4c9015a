package io.switchboard.transport;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The request line and headers of an HTTP/1.1 request, read by the front door to decide where a
 * connection goes. Header names are lower-cased; repeated headers are joined with ", ".
 */
public record RequestHead(String method, String uri, String version, Map<String, String> headers) {

  /** The path without the query. */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  public String header(String name) {
    return headers.get(name);
  }

  /** Whether a comma-separated header contains a token, case-insensitively (Connection: keep-alive, Upgrade). */
  public boolean headerHasToken(String name, String token) {
    String v = headers.get(name);
    if (v == null) {
      return false;
    }
    for (String part : v.split(",")) {
      if (part.trim().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  public boolean isWebSocketUpgrade() {
    return method.equals("GET") && headerHasToken("upgrade", "websocket") && headerHasToken("connection", "upgrade");
  }

  /** Parses the bytes of a head (without the final empty line); null if it is not HTTP/1.x. */
  static RequestHead parse(byte[] bytes, int length) {
    String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r\n");
    String[] request = lines[0].split(" ");
    if (request.length != 3 || !request[2].startsWith("HTTP/1.")) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        return null;
      }
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    return new RequestHead(request[0], request[1], request[2], headers);
  }
}
