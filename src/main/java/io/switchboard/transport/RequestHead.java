package io.switchboard.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request line and headers of an HTTP/1.1 request, read by the front door to decide where a
 * connection goes. Header names are lower-cased; repeated headers are joined with ", ".
 * {@code headerLines} are the header lines as they came, in order, for passing the head on.
 */
public record RequestHead(String method, String uri, String version, Map<String, String> headers, List<String> headerLines) {

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

  /**
   * The head as a proxy passes it on (RFC 9110 7.6.1), ending the connection after this request:
   * without Connection, the headers it names (an h2c upgrade's {@code HTTP2-Settings}, say),
   * Keep-Alive and Upgrade; then {@code Connection: close}. With the final empty line.
   */
  byte[] closing() {
    Set<String> hopByHop = new HashSet<>(List.of("connection", "keep-alive", "upgrade"));
    String connection = header("connection");
    if (connection != null) {
      for (String token : connection.split(",")) {
        hopByHop.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    StringBuilder out = new StringBuilder(256).append(method).append(' ').append(uri).append(' ').append(version).append("\r\n");
    for (String line : headerLines) {
      if (!hopByHop.contains(name(line))) {
        out.append(line).append("\r\n");
      }
    }
    return out.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The lower-cased name of a header line that has a colon after a non-empty name. */
  private static String name(String line) {
    return line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
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
    List<String> headerLines = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon <= 0) {
        return null;
      }
      headers.merge(name(lines[i]), lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
      headerLines.add(lines[i]);
    }
    return new RequestHead(request[0], request[1], request[2], headers, headerLines);
  }
}
