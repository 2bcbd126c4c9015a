package io.switchboard.auth;

import io.switchboard.config.AuthOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Verifies JWTs (signature, exp/nbf, issuer, audience) and turns their claims into {@link Claims}. */
public final class TokenVerifier {

  private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");

  private final JWTAuth jwt;
  private final boolean devMode;

  private TokenVerifier(JWTAuth jwt, boolean devMode) {
    this.jwt = jwt;
    this.devMode = devMode;
  }

  /**
   * @param devSecret in dev mode with no configured secret, the per-process secret dev tokens are
   *                  signed with; ignored otherwise
   */
  public static TokenVerifier create(Vertx vertx, AuthOptions options, String devSecret) {
    String key = options.getJwtPublicKeyPem() != null ? options.getJwtPublicKeyPem()
        : options.getJwtSecret() != null ? options.getJwtSecret() : devSecret;
    return new TokenVerifier(JWTAuth.create(vertx, authOptions(options, key)), options.isDevMode());
  }

  static JWTAuthOptions authOptions(AuthOptions options, String key) {
    JWTOptions jwtOptions = new JWTOptions().setLeeway(options.getLeewaySeconds()).setAlgorithm(options.getJwtAlgorithm());
    if (options.getIssuer() != null) {
      jwtOptions.setIssuer(options.getIssuer());
    }
    if (options.getAudience() != null) {
      jwtOptions.addAudience(options.getAudience());
    }
    return new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(options.getJwtAlgorithm()).setBuffer(key))
        .setJWTOptions(jwtOptions);
  }

  /**
   * Never throws: every problem, expected or not, fails the future with {@link AuthException}
   * carrying a message fit for a close reason, since the caller's answer to a failure is the 4401
   * the client waits for.
   */
  public Future<Claims> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new AuthException("missing token"));
    }
    Future<User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth checks exp/nbf/iat and aud with casts outside its own error handling, after the
      // signature: a validly signed token with a claim of another type throws here
      return Future.failedFuture(new AuthException(claimOfWrongType(token)));
    }
    return authenticated.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(new AuthException(reason(ar.cause())));
      }
      try {
        JsonObject principal = ar.result().principal();
        if (!devMode && principal.containsKey(DevTokens.CLAIM)) {
          // signed with the shared secret by a dev-mode node: rooms ["*"] and broadcast for anyone
          throw new AuthException("dev token refused: this node is not in dev mode");
        }
        return Future.succeededFuture(ClaimsJson.read(principal, ar.result().attributes().getLong("exp")));
      } catch (AuthException e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        return Future.failedFuture(new AuthException(claimOfWrongType(token)));
      }
    });
  }

  private static String reason(Throwable e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("expired")) {
      return "token expired";
    }
    if (m.contains("audience") || m.contains("issuer")) {
      return "token not issued for this service";
    }
    return "invalid token";
  }

  /** Names the claim vertx-auth could not read; only called once the signature was checked. */
  private static String claimOfWrongType(String token) {
    try {
      JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
      for (String claim : TIME_CLAIMS) {
        Object v = payload.getValue(claim);
        if (v != null && !(v instanceof Number)) {
          return "claim " + claim + " must be a number (seconds since the epoch)";
        }
      }
      Object aud = payload.getValue("aud");
      if (aud != null && !(aud instanceof String) && !(aud instanceof JsonArray)) {
        return "claim aud must be a string or a list of strings";
      }
    } catch (RuntimeException ignored) {
      // the generic reason below
    }
    return "invalid token";
  }
}
