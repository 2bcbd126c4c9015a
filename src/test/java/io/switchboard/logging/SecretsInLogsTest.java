package io.switchboard.logging;

import io.switchboard.support.NodeProcess;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with a JWT secret, an API key and a Redis password, logging at FINE for its own loggers and
 * the Redis client, taken through good and failing authentication and through a Redis outage: none
 * of the secrets, nor any token a client presented, appears in what it logs. Once as a process
 * (its real output, masking included), once in this JVM with the raw log records (no masking: what
 * the code itself hands to the logger).
 */
class SecretsInLogsTest {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final String jwtSecret = "jwt-" + UUID.randomUUID() + UUID.randomUUID();
  final String apiKey = "key-" + UUID.randomUUID();
  final String redisPassword = "pw-" + UUID.randomUUID();
  final List<String> secrets = new ArrayList<>(List.of(jwtSecret, apiKey, redisPassword));
  final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aNodeProcessWritesNoSecretOrToken() throws Exception {
    Path logging = Files.createTempFile("sb-logging-", ".properties");
    Files.writeString(logging, String.join("\n",
        "handlers=java.util.logging.ConsoleHandler",
        "java.util.logging.ConsoleHandler.level=ALL",
        ".level=INFO",
        "io.switchboard.level=ALL",
        "io.vertx.redis.level=ALL", ""));
    String log;
    try (RedisServer redis = RedisServer.builder().password(redisPassword).build().start();
         NodeProcess node = NodeProcess.startFromClasspath("secrets", List.of("-Djava.util.logging.config.file=" + logging),
             Map.of("SB_JWT_SECRET", jwtSecret, "SB_DEV_MODE", "true", "SB_API_KEYS", apiKey, "SB_STORE", "redis",
                 "SB_REDIS_URL", redisUrl(redis), "SB_REDIS_TIMEOUT_MS", "500"))) {
      node.awaitReady();
      exercise(node.port(), redis);
      assertEquals(0, node.stop(Duration.ofSeconds(60)));
      log = node.log();
    } finally {
      Files.deleteIfExists(logging);
    }
    System.out.println(log);

    assertTrue(log.contains("Redis store: standalone redis://***@127.0.0.1:"), "the store's line, redacted:\n" + log);
    assertTrue(log.contains("API POST /api/v1/streams/user:bob/messages failed"), "the outage was logged:\n" + log);
    assertNoSecretIn(log);
  }

  @Test
  void theCodeHandsNoSecretOrTokenToTheLogger() throws Exception {
    ConcurrentLinkedQueue<String> records = new ConcurrentLinkedQueue<>();
    SimpleFormatter plain = new SimpleFormatter();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        StringWriter text = new StringWriter().append(r.getLoggerName()).append(": ").append(plain.formatMessage(r));
        if (r.getThrown() != null) {
          r.getThrown().printStackTrace(new PrintWriter(text));
        }
        records.add(text.toString());
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    List<Logger> fine = List.of(Logger.getLogger("io.switchboard"), Logger.getLogger("io.vertx.redis"));
    List<Level> before = fine.stream().map(Logger::getLevel).toList();
    root.addHandler(capture);
    fine.forEach(l -> l.setLevel(Level.ALL));
    try (RedisServer redis = RedisServer.builder().password(redisPassword).build().start()) {
      TestNode node = TestNode.startRaw(new JsonObject()
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 2))
          .put("auth", new JsonObject().put("jwtSecret", jwtSecret).put("devMode", true))
          .put("api", new JsonObject().put("keys", new JsonArray().add(apiKey)))
          .put("store", new JsonObject().put("type", "redis"))
          .put("redis", new JsonObject().put("url", redisUrl(redis)).put("timeoutMs", 500)));
      try {
        exercise(node.port(), redis);
      } finally {
        node.close();
      }
    } finally {
      root.removeHandler(capture);
      for (int i = 0; i < fine.size(); i++) {
        fine.get(i).setLevel(before.get(i));
      }
    }
    String log = String.join("\n", records);
    assertTrue(log.contains("API POST /api/v1/streams/user:bob/messages failed"), "the outage was logged:\n" + log);
    assertNoSecretIn(log);
  }

  /** Valid, dev, expired, forged and garbage tokens; wrong and right API keys; then Redis goes away. */
  private void exercise(int port, RedisServer redis) throws Exception {
    String devToken = new JsonObject(get(port, "/dev/token?user=alice").body()).getString("token");
    String minted = Tokens.user("bob").signedWith("HS256", jwtSecret).sign();
    String expired = Tokens.user("bob").signedWith("HS256", jwtSecret).expiresInSeconds(-3600).sign();
    String forged = Tokens.user("bob").signedWith("HS256", "forged-" + UUID.randomUUID() + UUID.randomUUID()).sign();
    String garbage = "not-a-jwt-" + UUID.randomUUID();
    secrets.addAll(List.of(devToken, minted, expired, forged, garbage));

    try (WsClient alice = connect(port); WsClient bob = connect(port)) {
      alice.hello(devToken, "phone", null);
      bob.hello(minted, null, null);
      assertEquals("sent", alice.sendTo("user:bob", "hi", null).getString("type"));
    }
    for (String bad : List.of(expired, forged, garbage)) {
      try (WsClient c = connect(port)) {
        c.send(new JsonObject().put("type", "hello").put("token", bad));
        assertEquals(4401, c.awaitClose());
      }
    }
    assertEquals(401, api(port, "wrong-key-" + UUID.randomUUID()).statusCode());
    assertEquals(200, api(port, apiKey).statusCode());

    // failures are logged, with the Redis client's own error messages behind them
    redis.stop();
    assertEquals(503, api(port, apiKey).statusCode());
    try (WsClient c = connect(port)) {
      c.send(new JsonObject().put("type", "hello").put("token", minted));
      c.awaitClose();
    }
  }

  private void assertNoSecretIn(String log) {
    for (String secret : secrets) {
      assertFalse(log.contains(secret), "the log contains " + secret + ":\n" + log);
    }
  }

  private String redisUrl(RedisServer redis) {
    return "redis://:" + redisPassword + "@127.0.0.1:" + redis.port();
  }

  private WsClient connect(int port) {
    return WsClient.connect(vertx, port, "/ws", Map.of(), 1 << 20);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> api(int port, String key) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/streams/user:bob/messages");
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + key).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"from the backend\"}")).build(), HttpResponse.BodyHandlers.ofString());
  }
}
