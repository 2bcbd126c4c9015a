package io.switchboard.logging;

import io.switchboard.support.NodeProcess;
import io.switchboard.support.RedisServer;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node process with a JWT secret, an API key and a Redis password, logging at FINE for its own
 * loggers and the Redis client, taken through good and failing authentication and through a Redis
 * outage: none of the secrets, nor any token a client presented, appears in what it wrote.
 */
class SecretsInLogsTest {

  final String jwtSecret = "jwt-" + UUID.randomUUID() + UUID.randomUUID();
  final String apiKey = "key-" + UUID.randomUUID();
  final String redisPassword = "pw-" + UUID.randomUUID();
  final List<String> secrets = new ArrayList<>(List.of(jwtSecret, apiKey, redisPassword));

  @Test
  void noSecretOrTokenReachesTheLog() throws Exception {
    Path logging = Files.createTempFile("sb-logging-", ".properties");
    Files.writeString(logging, String.join("\n",
        "handlers=java.util.logging.ConsoleHandler",
        "java.util.logging.ConsoleHandler.level=ALL",
        ".level=INFO",
        "io.switchboard.level=ALL",
        "io.vertx.redis.level=ALL", ""));
    String log;
    Vertx vertx = Vertx.vertx();
    try (RedisServer redis = RedisServer.builder().password(redisPassword).build().start();
         NodeProcess node = NodeProcess.startFromClasspath("secrets", List.of("-Djava.util.logging.config.file=" + logging),
             Map.of("SB_JWT_SECRET", jwtSecret, "SB_DEV_MODE", "true", "SB_API_KEYS", apiKey, "SB_STORE", "redis",
                 "SB_REDIS_URL", "redis://:" + redisPassword + "@127.0.0.1:" + redis.port(), "SB_REDIS_TIMEOUT_MS", "500"))) {
      node.awaitReady();

      String devToken = new JsonObject(node.get("/dev/token?user=alice").body()).getString("token");
      String minted = Tokens.user("bob").signedWith("HS256", jwtSecret).sign();
      String expired = Tokens.user("bob").signedWith("HS256", jwtSecret).expiresInSeconds(-3600).sign();
      String forged = Tokens.user("bob").signedWith("HS256", "forged-" + UUID.randomUUID() + UUID.randomUUID()).sign();
      String garbage = "not-a-jwt-" + UUID.randomUUID();
      secrets.addAll(List.of(devToken, minted, expired, forged, garbage));

      try (WsClient alice = connect(vertx, node); WsClient bob = connect(vertx, node)) {
        alice.hello(devToken, "phone", null);
        bob.hello(minted, null, null);
        assertEquals("sent", alice.sendTo("user:bob", "hi", null).getString("type"));
      }
      for (String bad : List.of(expired, forged, garbage)) {
        try (WsClient c = connect(vertx, node)) {
          c.send(new JsonObject().put("type", "hello").put("token", bad));
          assertEquals(4401, c.awaitClose());
        }
      }

      assertEquals(401, api(node, "wrong-key-" + UUID.randomUUID(), "user:bob").statusCode());
      assertEquals(200, api(node, apiKey, "user:bob").statusCode());

      // Redis goes away: failures are logged, with the Redis client's own error messages
      redis.stop();
      assertEquals(503, api(node, apiKey, "user:bob").statusCode());
      try (WsClient c = connect(vertx, node)) {
        c.send(new JsonObject().put("type", "hello").put("token", minted));
        c.awaitClose();
      }

      assertEquals(0, node.stop(Duration.ofSeconds(60)));
      log = node.log();
    } finally {
      vertx.close().await();
      Files.deleteIfExists(logging);
    }
    System.out.println(log);

    assertTrue(log.contains("Redis store: standalone redis://***@127.0.0.1:"), "the store's line, redacted:\n" + log);
    assertTrue(log.contains("API POST /api/v1/streams/user:bob/messages failed"), "the outage was logged:\n" + log);
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "the log contains " + secret + ":\n" + log);
    }
  }

  private static WsClient connect(Vertx vertx, NodeProcess node) {
    return WsClient.connect(vertx, node.port(), "/ws", Map.of(), 1 << 20);
  }

  private static java.net.http.HttpResponse<String> api(NodeProcess node, String key, String stream) throws Exception {
    URI uri = node.uri("/api/v1/streams/" + stream + "/messages");
    return node.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"from the backend\"}")).build());
  }
}
