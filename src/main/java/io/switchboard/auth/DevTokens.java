package io.switchboard.auth;

import io.switchboard.config.AuthOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signs tokens for /dev/token in dev mode: any name, every room, broadcast allowed.
 * Never constructed outside dev mode.
 */
public final class DevTokens {

  /**
   * Marks a token as issued by /dev/token. With a configured secret a dev token is signed with the
   * key every node trusts; only a node in dev mode accepts a token carrying this claim.
   */
  public static final String CLAIM = "sb_dev";

  private final JWTAuth signer;
  private final AuthOptions options;

  public DevTokens(Vertx vertx, AuthOptions options, String secret) {
    this.options = options;
    this.signer = JWTAuth.create(vertx, TokenVerifier.authOptions(options, secret));
  }

  /** A random HS256 secret for this process, used when dev mode has no configured secret. */
  public static String randomSecret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public String issue(String user) {
    JsonObject claims = new JsonObject()
        .put("sub", user)
        .put("rooms", new JsonArray().add("*"))
        .put("broadcast", true)
        .put(CLAIM, true);
    if (options.getIssuer() != null) {
      claims.put("iss", options.getIssuer());
    }
    if (options.getAudience() != null) {
      claims.put("aud", options.getAudience());
    }
    return signer.generateToken(claims, new JWTOptions()
        .setAlgorithm(options.getJwtAlgorithm())
        .setExpiresInSeconds(options.getDevTokenTtlSeconds()));
  }

  public int ttlSeconds() {
    return options.getDevTokenTtlSeconds();
  }
}
