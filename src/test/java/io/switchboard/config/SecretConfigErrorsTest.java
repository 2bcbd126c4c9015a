package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration error names the key but never echoes a credential: it goes to the log. */
class SecretConfigErrorsTest {

  @Test
  void errorsAboutSecretsNameTheKeyNotTheValue() {
    assertHidden(new JsonObject().put("auth", new JsonObject().put("jwtSecret", 98765432109876543L)), "98765432109876543", "auth.jwtSecret");
    assertHidden(new JsonObject().put("auth", new JsonObject().put("jwtSecret", "short-but-secret")), "short-but-secret", "auth.jwtSecret");
    assertHidden(new JsonObject().put("auth", new JsonObject().put("jwtSecret", "x".repeat(40)))
        .put("api", new JsonObject().put("keys", new JsonArray().add(12345678901234567L))), "12345678901234567", "api.keys");
    assertHidden(new JsonObject().put("auth", new JsonObject().put("jwtSecret", "x".repeat(40)))
        .put("api", new JsonObject().put("keys", new JsonArray().add("tiny-key-42"))), "tiny-key-42", "api.keys");
    assertHidden(new JsonObject().put("auth", new JsonObject().put("jwtSecret", "x".repeat(40)))
        .put("redis", new JsonObject().put("url", "redis://:topsecret@")), "topsecret", "redis.url");
  }

  private static void assertHidden(JsonObject config, String secret, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(config, Map.of()));
    assertTrue(e.getMessage().contains(key), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }
}
