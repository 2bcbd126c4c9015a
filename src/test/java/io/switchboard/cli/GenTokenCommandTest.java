package io.switchboard.cli;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.auth.GlobPattern;
import io.switchboard.auth.TokenVerifier;
import io.switchboard.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gen-token}: tokens the node's own verifier accepts, with the claims and expiry asked for. */
class GenTokenCommandTest {

  static final String SECRET = "gen-token-secret-0123456789abcdefghijkl";
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void aTokenWithEveryOptionIsAcceptedWithItsClaimsAndExpiry() {
    Map<String, String> env = Map.of("SB_JWT_SECRET", SECRET);
    long before = System.currentTimeMillis();
    CliRun r = CliRun.run(env, "gen-token", "--user", "alice", "--rooms", "lobby, team-*", "--send", "user:*,room:lobby",
        "--broadcast", "--ttl", "2h");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.err().contains("token for alice"), r.err());

    Claims claims = verify(env, r.out().trim());
    assertEquals("alice", claims.user());
    assertEquals(List.of("lobby", "team-*"), claims.rooms().stream().map(GlobPattern::toString).toList());
    assertEquals(List.of("user:*", "room:lobby"), claims.send().stream().map(GlobPattern::toString).toList());
    assertTrue(claims.broadcast());
    assertExpiresIn(claims, before, 7200);
  }

  @Test
  void withoutOptionsItIsAnHourLongTokenWithTheProtocolsDefaults() {
    Map<String, String> env = Map.of("SB_JWT_SECRET", SECRET);
    long before = System.currentTimeMillis();
    CliRun r = CliRun.run(env, "gen-token", "-u", "bob");
    Claims claims = verify(env, r.out().trim());
    assertEquals("bob", claims.user());
    assertTrue(claims.rooms().isEmpty(), "no rooms claim: no joins");
    assertEquals(List.of("user:*", "@rooms"), claims.send().stream().map(GlobPattern::toString).toList());
    assertFalse(claims.broadcast());
    assertExpiresIn(claims, before, 3600);
    JsonObject payload = payload(r.out().trim());
    assertEquals(payload.getLong("exp") - 3600, payload.getLong("iat"));
  }

  /** The configured algorithm, issuer and audience, from -conf as the node reads them. */
  @Test
  void itSignsForTheConfiguredAlgorithmIssuerAndAudience() {
    String conf = new JsonObject().put("auth", new JsonObject().put("jwtSecret", SECRET).put("jwtAlgorithm", "HS512")
        .put("issuer", "https://auth.example").put("audience", "switchboard")).encode();
    CliRun r = CliRun.run(Map.of(), "gen-token", "--user", "carol", "-conf", conf);
    assertEquals(0, r.status(), r.toString());
    String token = r.out().trim();
    assertEquals("HS512", new JsonObject(decode(token.split("\\.")[0])).getString("alg"));
    assertEquals("carol", verify(conf, Map.of(), token).user());
    // a node with another secret refuses it
    AuthException refused = assertThrows(AuthException.class,
        () -> verify(conf.replace(SECRET, SECRET + "-other"), Map.of(), token));
    assertEquals("invalid token", refused.getMessage());
  }

  /** The node in dev mode with a secret accepts it too: it is no dev token (no sb_dev claim). */
  @Test
  void aDevModeNodeWithTheSecretAcceptsItAndANodeNotInDevModeToo() {
    Map<String, String> dev = Map.of("SB_JWT_SECRET", SECRET, "SB_DEV_MODE", "true");
    String token = CliRun.run(dev, "gen-token", "--user", "dave").out().trim();
    assertEquals("dave", verify(dev, token).user());
    assertEquals("dave", verify(Map.of("SB_JWT_SECRET", SECRET), token).user());
    assertFalse(payload(token).containsKey("sb_dev"));
  }

  @Test
  void withNoSecretItRefusesAndPointsAtTheWaysToGetAToken() {
    CliRun r = CliRun.run(Map.of(), "gen-token", "--user", "alice");
    assertEquals(78, r.status(), r.toString());
    assertTrue(r.err().contains("no key to sign with: set auth.jwtSecret (SB_JWT_SECRET"), r.err());
    assertTrue(r.err().contains("/dev/token?user="), r.err());
    assertEquals("", r.out());
  }

  @Test
  void withAPublicKeyItRefusesAndSaysWhoHoldsThePrivateKey() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    CliRun r = CliRun.run(Map.of("SB_JWT_PUBLIC_KEY", pem), "gen-token", "--user", "alice");
    assertEquals(78, r.status(), r.toString());
    assertTrue(r.err().contains("cannot sign: auth.jwtPublicKey is set"), r.err());
    assertTrue(r.err().contains("ES256"), r.err());
  }

  @Test
  void anInvalidConfigurationIsReportedAsCheckConfigWould() {
    CliRun r = CliRun.run(Map.of("SB_JWT_SECRET", "short"), "gen-token", "--user", "alice");
    assertEquals(78, r.status(), r.toString());
    assertTrue(r.err().startsWith("Invalid configuration: auth.jwtSecret: must be at least 32 characters"), r.err());
  }

  @Test
  void badUsersAndLifetimesAreUsageErrors() {
    Map<String, String> env = Map.of("SB_JWT_SECRET", SECRET);
    for (String[] args : new String[][] {{"--user", "al ice"}, {"--user", "x".repeat(129)}, {"--user", "a", "--ttl", "0"},
        {"--user", "a", "--ttl", "1.5h"}, {"--user", "a", "--ttl", "366d"}, {"--user", "a", "--ttl", "-5"}, {"--user", "a", "--ttl", "5y"}}) {
      String[] full = new String[args.length + 1];
      full[0] = "gen-token";
      System.arraycopy(args, 0, full, 1, args.length);
      CliRun r = CliRun.run(env, full);
      assertEquals(Cli.EXIT_USAGE, r.status(), String.join(" ", args) + ": " + r);
      assertTrue(r.err().contains(args[args.length - 2]), r.err());
    }
  }

  @Test
  void lifetimesTakeAUnit() {
    assertEquals(90, GenTokenCommand.ttlSeconds("90"));
    assertEquals(90, GenTokenCommand.ttlSeconds("90s"));
    assertEquals(900, GenTokenCommand.ttlSeconds("15m"));
    assertEquals(3600, GenTokenCommand.ttlSeconds("1h"));
    assertEquals(7 * 86_400, GenTokenCommand.ttlSeconds("7d"));
    assertEquals(365 * 86_400, GenTokenCommand.ttlSeconds("365d"));
    assertEquals(GenTokenCommand.DEFAULT_TTL_SECONDS, GenTokenCommand.ttlSeconds(null));
  }

  private static void assertExpiresIn(Claims claims, long beforeMs, long seconds) {
    long after = System.currentTimeMillis();
    assertTrue(claims.expiresAtMs() >= beforeMs / 1000 * 1000 + seconds * 1000
        && claims.expiresAtMs() <= after + seconds * 1000, "expires in " + seconds + " s: " + claims.expiresAtMs());
  }

  private static Claims verify(Map<String, String> env, String token) {
    return verify(null, env, token);
  }

  /** With the verifier a node with this configuration builds. */
  private static Claims verify(String conf, Map<String, String> env, String token) {
    JsonObject file = conf == null ? null : new JsonObject(conf);
    TokenVerifier verifier = TokenVerifier.create(vertx, ConfigLoader.load(file, env).getAuth(), null);
    try {
      return verifier.verify(token).toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  private static JsonObject payload(String token) {
    return new JsonObject(decode(token.split("\\.")[1]));
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }
}
