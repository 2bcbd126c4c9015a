package io.switchboard.client.internal;

import org.json.JSONObject;

import java.nio.charset.Charset;

/**
 * Reads (never verifies: the node does) the claims a client needs from a JWT: {@code sub}, so that
 * one user's positions are not resumed with another's token, and {@code exp}, to refresh in time.
 * java.util.Base64 is not on Android before API 26, hence the decoder here.
 */
public final class Jwt {
  private static final Charset UTF8 = Charset.forName("UTF-8");

  private Jwt() {
  }

  /** The payload's claims, or null for a token that is not a readable JWT (an opaque token). */
  public static JSONObject claims(String token) {
    if (token == null) {
      return null;
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    byte[] payload = base64Url(parts[1]);
    return payload == null ? null : Json.parseObject(new String(payload, UTF8));
  }

  /** {@code sub}, or null. */
  public static String subject(String token) {
    JSONObject c = claims(token);
    return c == null ? null : Json.string(c, "sub");
  }

  /** {@code exp} in ms since the epoch, or 0 when the token has none. */
  public static long expiresAtMs(String token) {
    JSONObject c = claims(token);
    return c == null ? 0 : Json.number(c, "exp", 0) * 1000;
  }

  static byte[] base64Url(String s) {
    int n = s.length();
    byte[] out = new byte[n * 3 / 4 + 3];
    int len = 0;
    int buf = 0;
    int bits = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int v;
      if (c >= 'A' && c <= 'Z') {
        v = c - 'A';
      } else if (c >= 'a' && c <= 'z') {
        v = c - 'a' + 26;
      } else if (c >= '0' && c <= '9') {
        v = c - '0' + 52;
      } else if (c == '-' || c == '+') {
        v = 62;
      } else if (c == '_' || c == '/') {
        v = 63;
      } else if (c == '=') {
        break;
      } else {
        return null;
      }
      buf = (buf << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[len++] = (byte) (buf >> bits);
        buf &= (1 << bits) - 1;
      }
    }
    byte[] r = new byte[len];
    System.arraycopy(out, 0, r, 0, len);
    return r;
  }
}
