package io.switchboard.bench;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * HS256 tokens signed here, the way a customer's backend would: fetching 10k dev tokens over HTTP
 * would measure the token endpoint, not the connections.
 */
final class Jwt {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
  private final Mac mac;

  Jwt(String secret) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** sub = user, may join any room, valid for a day. */
  synchronized String token(String user) {
    long exp = System.currentTimeMillis() / 1000 + 86_400;
    String payload = "{\"sub\":\"" + user + "\",\"rooms\":[\"*\"],\"exp\":" + exp + "}";
    String signingInput = HEADER + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    byte[] sig = mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + B64.encodeToString(sig);
  }
}
