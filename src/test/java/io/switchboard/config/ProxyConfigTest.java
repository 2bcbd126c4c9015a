package io.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProxyConfigTest {

  static final String BACKEND_SECRET = "backend-secret-0123456789abcdefghijklmn";
  static final String JWT_SECRET = "jwt-secret-0123456789abcdefghijklmnopqr";

  @Test
  void offUntilAUrlIsSetWithTheDocumentedDefaults() {
    ProxyOptions o = ConfigLoader.load(null, Map.of()).getProxy();
    assertFalse(o.anyConfigured());
    assertNull(o.getConnectUrl());
    assertEquals(3000, o.getPublishTimeoutMs());
    assertEquals(List.of("*"), o.getPublishStreams());
  }

  @Test
  void aConnectProxyStandsInForATokenKeyButIsNotDevMode() {
    SwitchboardOptions o = ConfigLoader.load(null, Map.of("SB_PROXY_CONNECT_URL", "https://backend.example/connect",
        "SB_BACKEND_SECRETS", BACKEND_SECRET, "SB_HTTP_HOST", "0.0.0.0"));
    assertFalse(o.getAuth().isDevMode(), "a node whose backend authenticates clients is a production node");
    assertFalse(o.getAuth().hasTokenKey());
    assertEquals("https://backend.example/connect", o.getProxy().getConnectUrl());
  }

  @Test
  void aProxyNeedsTheSecretItsRequestsAreSignedWith() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
        "SB_JWT_SECRET", JWT_SECRET, "SB_PROXY_PUBLISH_URL", "http://127.0.0.1:9000/publish")));
    assertEquals("backend.secrets", e.key());
    ConfigException shortSecret = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
        "SB_JWT_SECRET", JWT_SECRET, "SB_BACKEND_SECRETS", "short")));
    assertEquals("backend.secrets", shortSecret.key());
    assertFalse(shortSecret.getMessage().contains("short"), "a secret is never echoed");
  }

  @Test
  void aUrlThatIsNotAnAbsoluteHttpUrlIsNamed() {
    for (String bad : List.of("backend.example/connect", "ftp://backend.example/x", "http://")) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new JsonObject()
          .put("proxy", new JsonObject().put("joinUrl", bad)), Map.of("SB_JWT_SECRET", JWT_SECRET,
          "SB_BACKEND_SECRETS", BACKEND_SECRET)), bad);
      assertEquals("proxy.joinUrl", e.key());
    }
    ConfigException streams = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of(
        "SB_JWT_SECRET", JWT_SECRET, "SB_BACKEND_SECRETS", BACKEND_SECRET, "SB_PROXY_PUBLISH_STREAMS", " , ")));
    assertEquals("proxy.publishStreams", streams.key());
    assertTrue(ConfigLoader.load(null, Map.of("SB_JWT_SECRET", JWT_SECRET, "SB_BACKEND_SECRETS", BACKEND_SECRET,
        "SB_PROXY_PUBLISH_URL", "https://b.example/p", "SB_PROXY_PUBLISH_STREAMS", "room:*,all")).getProxy().anyConfigured());
  }
}
