package io.switchboard.auth;

import io.switchboard.config.AuthOptions;
import io.switchboard.config.ConfigLoader;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TokenVerifier#verify} answers every token with a future, failed with {@link AuthException}
 * and a reason fit for a close frame: the gateway closes with 4401 on that failure, and a throw would
 * leave the connection waiting for an answer that never comes.
 */
class TokenVerifierTest {

  static Vertx vertx;
  static TokenVerifier verifier;
  static TokenVerifier devVerifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    verifier = TokenVerifier.create(vertx, auth(false), null);
    devVerifier = TokenVerifier.create(vertx, auth(true), null);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static AuthOptions auth(boolean devMode) {
    return ConfigLoader.load(new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1"))
        .put("auth", new JsonObject().put("jwtSecret", TestNode.SECRET).put("devMode", devMode)
            .put("issuer", "https://auth.example").put("audience", "switchboard")), Map.of()).getAuth();
  }

  private static Tokens token(String user) {
    return Tokens.user(user).claim("iss", "https://auth.example").claim("aud", "switchboard");
  }

  @Test
  void aValidTokenGivesItsClaims() {
    Claims claims = verifier.verify(token("tv-ok").expiresInSeconds(60).sign()).await();
    assertEquals("tv-ok", claims.user());
    assertTrue(claims.expiresAtMs() > System.currentTimeMillis());
  }

  @Test
  void claimsOfTheWrongTypeFailTheFutureInsteadOfThrowing() {
    for (String claim : List.of("exp", "nbf", "iat")) {
      for (Object value : List.of("soon", false, new JsonObject(), new JsonArray().add(1))) {
        assertRefused(verifier, token("tv-time").claim(claim, value).sign(), "claim " + claim + " must be a number (seconds since the epoch)");
      }
    }
    assertRefused(verifier, token("tv-aud").claim("aud", 5).sign(), "claim aud must be a string or a list of strings");
    assertRefused(verifier, token("tv-aud").claim("aud", new JsonArray().add(5)).sign(), "token not issued for this service");
    assertRefused(verifier, token("tv-iss").claim("iss", 5).sign(), "token not issued for this service");
    assertRefused(verifier, token("tv-sub").claim("sub", new JsonObject()).sign(), "token sub is not a usable user id");
    assertRefused(verifier, "a.b.c", "invalid token");
    assertRefused(verifier, "", "missing token");
    assertRefused(verifier, null, "missing token");
  }

  @Test
  void onlyANodeInDevModeAcceptsDevTokens() {
    String dev = token("tv-dev").claim("sb_dev", true).sign();
    assertEquals("tv-dev", devVerifier.verify(dev).await().user());
    assertRefused(verifier, dev, "dev token refused: this node is not in dev mode");
    // whatever its value: the claim is Switchboard's, and no other issuer has a reason to set it
    assertRefused(verifier, token("tv-dev").claim("sb_dev", false).sign(), "dev token refused: this node is not in dev mode");
    assertEquals("tv-plain", devVerifier.verify(token("tv-plain").sign()).await().user());
  }

  private static void assertRefused(TokenVerifier v, String token, String reason) {
    Future<Claims> f = v.verify(token);
    assertEquals(reason, assertThrows(AuthException.class, f::await, token).getMessage());
  }
}
