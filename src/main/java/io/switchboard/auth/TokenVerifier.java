package io.switchboard.auth;

import io.switchboard.config.AuthOptions;
import io.switchboard.protocol.StreamName;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.ArrayList;
import java.util.List;

/** Verifies JWTs (signature, exp/nbf, issuer, audience) and turns their claims into {@link Claims}. */
public final class TokenVerifier {

  private final JWTAuth jwt;

  private TokenVerifier(JWTAuth jwt) {
    this.jwt = jwt;
  }

  /**
   * @param devSecret in dev mode with no configured secret, the per-process secret dev tokens are
   *                  signed with; ignored otherwise
   */
  public static TokenVerifier create(Vertx vertx, AuthOptions options, String devSecret) {
    String key = options.getJwtPublicKeyPem() != null ? options.getJwtPublicKeyPem()
        : options.getJwtSecret() != null ? options.getJwtSecret() : devSecret;
    return new TokenVerifier(JWTAuth.create(vertx, authOptions(options, key)));
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

  /** Fails with {@link AuthException} carrying a message fit for a close reason. */
  public Future<Claims> verify(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new AuthException("missing token"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(new AuthException(reason(e))))
        .compose(user -> {
          try {
            return Future.succeededFuture(claims(user.principal(), user.attributes().getLong("exp")));
          } catch (AuthException e) {
            return Future.failedFuture(e);
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

  static Claims claims(JsonObject principal, Long exp) {
    Object sub = principal.getValue("sub");
    if (!(sub instanceof String) || !StreamName.isValidId((String) sub)) {
      throw new AuthException("token sub is not a usable user id");
    }
    Object broadcast = principal.getValue("broadcast", false);
    if (!(broadcast instanceof Boolean)) {
      throw new AuthException("claim broadcast must be true or false");
    }
    List<GlobPattern> send = patterns(principal, "send", Permissions.DEFAULT_SEND);
    return new Claims((String) sub, patterns(principal, "rooms", List.of()), send, (Boolean) broadcast,
        exp == null ? 0 : exp * 1000);
  }

  private static List<GlobPattern> patterns(JsonObject principal, String claim, List<String> def) {
    Object v = principal.getValue(claim);
    List<GlobPattern> out = new ArrayList<>();
    if (v == null) {
      def.forEach(p -> out.add(new GlobPattern(p)));
    } else if (v instanceof String) {
      out.add(new GlobPattern((String) v));
    } else if (v instanceof JsonArray) {
      for (Object p : (JsonArray) v) {
        if (!(p instanceof String)) {
          throw new AuthException("claim " + claim + " must be a list of patterns");
        }
        out.add(new GlobPattern((String) p));
      }
    } else {
      throw new AuthException("claim " + claim + " must be a list of patterns");
    }
    // held by the session for its lifetime: a compact immutable list (none at all when empty)
    return List.copyOf(out);
  }
}
