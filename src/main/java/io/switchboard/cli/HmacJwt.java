package io.switchboard.cli;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a JWT with an HMAC secret (HS256, HS384, HS512), as a customer's backend would: with the
 * JDK alone, so that {@code gen-token} needs no Vert.x instance. The secret's UTF-8 bytes are the
 * key, as for the node's verifier.
 */
final class HmacJwt {

  private static final Map<String, String> MACS = Map.of("HS256", "HmacSHA256", "HS384", "HmacSHA384", "HS512", "HmacSHA512");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private HmacJwt() {
  }

  static String sign(JsonObject claims, String algorithm, String secret) {
    String mac = MACS.get(algorithm);
    if (mac == null) {
      throw new IllegalArgumentException("not an HMAC algorithm: " + algorithm);
    }
    String header = new JsonObject().put("alg", algorithm).put("typ", "JWT").encode();
    String input = encode(header) + "." + encode(claims.encode());
    try {
      Mac hmac = Mac.getInstance(mac);
      hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac));
      return input + "." + B64.encodeToString(hmac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(mac + " is not available in this Java runtime", e);
    }
  }

  private static String encode(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
