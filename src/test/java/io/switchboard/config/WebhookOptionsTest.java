package io.switchboard.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookOptionsTest {

  static final String BACKEND_SECRET = "a-backend-secret-of-32-characters-or-more";

  private static SwitchboardOptions load(Map<String, String> env) {
    return ConfigLoader.load(null, env);
  }

  @Test
  void offByDefaultWithTheDocumentedDefaults() {
    WebhookOptions o = load(Map.of()).getWebhooks();
    assertFalse(o.isEnabled());
    assertFalse(o.sends("presence.online"), "nothing is queued without a URL");
    assertEquals(100, o.getBatchSize());
    assertEquals(1000, o.getMaxWaitMs());
    assertEquals(10_000, o.getTimeoutMs());
    assertEquals(3_600_000L, o.getRetryForMs());
    assertEquals(1000, o.getBackoffMinMs());
    assertEquals(60_000, o.getBackoffMaxMs());
    assertEquals(100_000, o.getQueueCap());
    assertEquals(100_000, o.getDeadLetterCap());
    assertEquals(10_000, o.getTakeoverMs());
    assertEquals(0, o.getUndeliveredDelayMs());
    assertEquals(0, o.getAckTimeoutMs(), "devices that did not ack are not checked by default");
    assertEquals(100, o.getPreviewChars());
    assertFalse(o.isIncludeBody());
    assertEquals(List.of(), o.getStoredStreams());
  }

  @Test
  void environmentVariablesSetThemAll() {
    WebhookOptions o = load(Map.of("SB_WEBHOOKS_URL", "https://backend.example/hooks", "SB_BACKEND_SECRETS", BACKEND_SECRET,
        "SB_WEBHOOKS_EVENTS", "message.undelivered, presence.offline", "SB_WEBHOOKS_STORED_STREAMS", "room:support-*",
        "SB_WEBHOOKS_BATCH_SIZE", "10", "SB_WEBHOOKS_RETRY_FOR_MS", "86400000")).getWebhooks();
    assertTrue(o.isEnabled());
    assertTrue(o.sends("message.undelivered"));
    assertFalse(o.sends("presence.online"), "only the listed types");
    assertEquals(List.of("room:support-*"), o.getStoredStreams());
    assertEquals(10, o.getBatchSize());
    assertEquals(86_400_000L, o.getRetryForMs());
  }

  @Test
  void aWebhookUrlWithoutABackendSecretIsRefusedNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("SB_WEBHOOKS_URL", "https://backend.example/hooks")));
    assertEquals("backend.secrets", e.key());
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    for (Map.Entry<String, String> bad : Map.of(
        "SB_WEBHOOKS_URL", "ftp://backend.example/hooks",
        "SB_WEBHOOKS_EVENTS", "message.read",
        "SB_WEBHOOKS_BATCH_SIZE", "0",
        "SB_WEBHOOKS_BACKOFF_MAX_MS", "10",
        "SB_WEBHOOKS_ACK_TIMEOUT_MS", "500").entrySet()) {
      Map<String, String> env = new java.util.HashMap<>(Map.of("SB_WEBHOOKS_URL", "http://127.0.0.1:9/hooks",
          "SB_BACKEND_SECRETS", BACKEND_SECRET));
      env.put(bad.getKey(), bad.getValue());
      ConfigException e = assertThrows(ConfigException.class, () -> load(env), bad.toString());
      assertEquals(java.util.Arrays.stream(Setting.values()).filter(s -> s.env().equals(bad.getKey())).findFirst().orElseThrow().key(),
          e.key(), bad.toString());
    }
  }
}
