package io.switchboard.backend;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The signature on every request a node makes to the backend (proxies and webhooks), shaped like
 * Stripe's so that backends know the recipe:
 * {@code Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, with one
 * {@code v1} per configured secret so that a backend in the middle of a rotation accepts either. The
 * timestamp is signed with the body: a captured request replayed later fails the tolerance check.
 */
public final class Signature {

  public static final String HEADER = "Switchboard-Signature";
  /** How old a request's timestamp may be; also how far in the future (clock skew). */
  public static final long DEFAULT_TOLERANCE_SECONDS = 300;

  private static final String SCHEME = "v1";
  private static final String ALGORITHM = "HmacSHA256";

  private Signature() {
  }

  /** The header value for {@code body} sent at {@code timestampSeconds}, signed with every secret. */
  public static String header(long timestampSeconds, byte[] body, List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("no secret to sign with");
    }
    StringBuilder out = new StringBuilder("t=").append(timestampSeconds);
    for (String secret : secrets) {
      out.append(',').append(SCHEME).append('=').append(HexFormat.of().formatHex(mac(secret, timestampSeconds, body)));
    }
    return out.toString();
  }

  /**
   * The backend's check, as docs/webhooks.md gives it: the timestamp within {@code toleranceSeconds} of
   * now, and one of the {@code v1} signatures that of this body with this secret (compared in constant
   * time).
   */
  public static boolean verify(String header, byte[] body, String secret, long nowSeconds, long toleranceSeconds) {
    if (header == null) {
      return false;
    }
    Long timestamp = null;
    List<String> signatures = new ArrayList<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = part.substring(0, eq).trim();
      String value = part.substring(eq + 1).trim();
      if (key.equals("t")) {
        try {
          timestamp = Long.parseLong(value);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (key.equals(SCHEME)) {
        signatures.add(value);
      }
    }
    if (timestamp == null || Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
      return false;
    }
    byte[] expected = HexFormat.of().formatHex(mac(secret, timestamp, body)).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String s : signatures) {
      // no early exit: the time taken does not say which signature matched
      match |= MessageDigest.isEqual(expected, s.getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }

  private static byte[] mac(String secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
    }
  }
}
