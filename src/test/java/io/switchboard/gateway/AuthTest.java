package io.switchboard.gateway;

import io.switchboard.protocol.CloseCode;
import io.switchboard.support.SharedNode;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AuthTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode(new JsonObject()
      .put("protocol", new JsonObject().put("helloTimeoutMs", 2000))
      .put("limits", new JsonObject().put("messagesPerSecond", 100_000).put("messagesBurst", 100_000)));

  /** helloTimeoutMs 2000 makes the session sweep (expiry checks) run every 400 ms. */
  static final long SWEEP_MS = 400;

  @Test
  void aTokenSignedWithAnotherSecretIsRefused() {
    String forged = Tokens.user("au-mallory").signedWith("HS256", "some-other-secret-that-is-also-quite-long").sign();
    assertRefused(forged, "invalid token");
  }

  @Test
  void anExpiredTokenIsRefused() {
    assertRefused(Tokens.user("au-late").expiresInSeconds(-60).sign(), "token expired");
  }

  @Test
  void aHelloWithoutTokenIsRefused() {
    try (WsClient c = NODE.node().connect()) {
      c.send(new JsonObject().put("type", "hello"));
      assertEquals(CloseCode.UNAUTHORIZED.code(), c.awaitClose());
      assertEquals("missing token", c.closeReason());
    }
  }

  @Test
  void aTokenWithAnUnusableSubIsRefused() {
    assertRefused(Tokens.user("has space").sign(), "token sub is not a usable user id");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String signed = Tokens.user("au-none").sign();
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
    String unsigned = header + "." + signed.split("\\.")[1] + ".";
    assertRefused(unsigned, "invalid token");
  }

  @Test
  void aTokenThatExpiresDuringTheConnectionClosesItWith4401() {
    String token = Tokens.user("au-short").expiresInSeconds(1).sign();
    try (WsClient c = NODE.node().connect()) {
      c.hello(token, null, null);
      // the leeway (5 s by default) applies at hello; on a live connection exp is enforced as written
      assertEquals(CloseCode.UNAUTHORIZED.code(), c.awaitClose());
      assertEquals("token expired", c.closeReason());
    }
  }

  @Test
  void refreshExtendsTheConnection() {
    long exp = System.currentTimeMillis() / 1000 + 2;
    String first = Tokens.user("au-refresh").claim("exp", exp).sign();
    String twinToken = Tokens.user("au-twin").claim("exp", exp).sign();
    String renewed = Tokens.user("au-refresh").expiresInSeconds(3600).sign();
    try (WsClient refreshed = NODE.node().connect(); WsClient twin = NODE.node().connect()) {
      refreshed.hello(first, null, null);
      twin.hello(twinToken, null, null);
      refreshed.send(new JsonObject().put("type", "refresh").put("token", renewed));

      assertEquals(CloseCode.UNAUTHORIZED.code(), twin.awaitClose(), "the un-refreshed twin expires");
      // three sweep periods after the twin closed, the refreshed one still answers
      long until = System.currentTimeMillis() + 3 * SWEEP_MS;
      do {
        refreshed.send(new JsonObject().put("type", "ping").put("ref", "alive"));
        assertEquals("pong", refreshed.await(f -> "alive".equals(f.getValue("ref"))).getString("type"));
      } while (System.currentTimeMillis() < until);
      assertFalse(refreshed.isClosed());
    }
  }

  @Test
  void refreshWithAnotherUsersTokenCloses() {
    String token = Tokens.user("au-swap").sign();
    String someoneElse = Tokens.user("au-someone-else").sign();
    try (WsClient c = NODE.node().connect()) {
      c.hello(token, null, null);
      c.send(new JsonObject().put("type", "refresh").put("token", someoneElse));
      assertEquals(CloseCode.UNAUTHORIZED.code(), c.awaitClose());
    }
  }

  /**
   * vertx-auth reads exp, nbf and iat with a cast to a number: a validly signed token holding a
   * string, a boolean or an object there used to throw out of verification and leave hello hanging
   * (reads paused, no hello timeout, no heartbeat) instead of closing.
   */
  @Test
  void aSignedTokenWhoseTimeClaimIsNotANumberIsRefusedAtHello() {
    for (String claim : TIME_CLAIMS) {
      for (Object value : NOT_NUMBERS) {
        assertRefused(Tokens.user("au-times").claim(claim, value).sign(), "claim " + claim + " must be a number (seconds since the epoch)");
      }
    }
  }

  @Test
  void aSignedTokenWhoseTimeClaimIsNotANumberIsRefusedAtRefresh() {
    for (String claim : TIME_CLAIMS) {
      for (Object value : NOT_NUMBERS) {
        String bad = Tokens.user("au-times-refresh").claim(claim, value).sign();
        try (WsClient c = NODE.node().login("au-times-refresh")) {
          c.send(new JsonObject().put("type", "refresh").put("token", bad));
          assertEquals(CloseCode.UNAUTHORIZED.code(), c.awaitClose(), claim + " = " + value);
          assertEquals("refresh rejected: claim " + claim + " must be a number (seconds since the epoch)", c.closeReason());
        }
      }
    }
  }

  static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");
  static final List<Object> NOT_NUMBERS = List.of("2030-01-01", true, new JsonObject().put("seconds", 60));

  @Test
  void rs256AndEs256PublicKeysVerifyTokens() throws Exception {
    for (String[] alg : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      KeyPairGenerator gen = KeyPairGenerator.getInstance(alg[0]);
      if (alg[0].equals("EC")) {
        gen.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        gen.initialize(2048);
      }
      KeyPair pair = gen.generateKeyPair();
      String publicPem = pem("PUBLIC KEY", pair.getPublic().getEncoded());
      String privatePem = pem("PRIVATE KEY", pair.getPrivate().getEncoded());
      JsonObject config = new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
          .put("auth", new JsonObject().put("jwtPublicKey", publicPem));
      try (TestNode keyed = TestNode.startRaw(config); WsClient c = keyed.connect(); WsClient forged = keyed.connect()) {
        JsonObject welcome = c.hello(Tokens.user("au-" + alg[1]).signedWith(alg[1], privatePem).sign(), null, null);
        assertEquals("au-" + alg[1], welcome.getString("user"));
        // an HS256 token is not accepted by a node configured with a public key
        forged.send(new JsonObject().put("type", "hello").put("token", Tokens.user("au-hs").sign()));
        assertEquals(CloseCode.UNAUTHORIZED.code(), forged.awaitClose());
      }
    }
  }

  private static void assertRefused(String token, String reason) {
    try (WsClient c = NODE.node().connect()) {
      c.send(new JsonObject().put("type", "hello").put("token", token));
      assertEquals(CloseCode.UNAUTHORIZED.code(), c.awaitClose());
      assertEquals(reason, c.closeReason());
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
