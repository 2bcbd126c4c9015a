package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front door's keys: limits, head timeout, trusted proxies, TLS files. */
class FrontDoorConfigTest {

  @TempDir
  Path dir;

  private static SwitchboardOptions load(JsonObject config) {
    return ConfigLoader.load(config, Map.of());
  }

  private static void assertFails(String key, JsonObject config) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(config));
    assertEquals(key, e.key(), e.getMessage());
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    SwitchboardOptions o = ConfigLoader.load(null, Map.of());
    assertEquals(100_000, o.getLimits().getMaxConnections());
    assertEquals(1_000, o.getLimits().getMaxConnectionsPerIp());
    assertEquals(50, o.getLimits().getHandshakesPerIpPerSecond());
    assertEquals(10_000, o.getHttp().getRequestHeadTimeoutMs());
    assertEquals(List.of(), o.getHttp().getTrustedProxies());
    assertNull(o.getHttp().getTls());
    assertNull(o.getCluster().getTls());
  }

  @Test
  void environmentVariablesSetThem() {
    SwitchboardOptions o = ConfigLoader.load(null, Map.of("SB_MAX_CONNECTIONS", "10", "SB_MAX_CONNECTIONS_PER_IP", "3",
        "SB_HANDSHAKES_PER_IP_PER_SECOND", "7", "SB_REQUEST_HEAD_TIMEOUT_MS", "2500",
        "SB_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1,2001:db8::/32"));
    assertEquals(10, o.getLimits().getMaxConnections());
    assertEquals(3, o.getLimits().getMaxConnectionsPerIp());
    assertEquals(7, o.getLimits().getHandshakesPerIpPerSecond());
    assertEquals(2500, o.getHttp().getRequestHeadTimeoutMs());
    assertEquals(3, o.getHttp().getTrustedProxies().size());
  }

  @Test
  void badValuesNameTheirKey() {
    assertFails("limits.maxConnections", new JsonObject().put("limits", new JsonObject().put("maxConnections", 0)));
    assertFails("limits.handshakesPerIpPerSecond",
        new JsonObject().put("limits", new JsonObject().put("handshakesPerIpPerSecond", 0)));
    assertFails("http.requestHeadTimeoutMs", new JsonObject().put("http", new JsonObject().put("requestHeadTimeoutMs", 10)));
    assertFails("http.trustedProxies",
        new JsonObject().put("http", new JsonObject().put("trustedProxies", new JsonArray().add("proxy.internal"))));
    assertFails("http.trustedProxies",
        new JsonObject().put("http", new JsonObject().put("trustedProxies", new JsonArray().add("10.0.0.0/40"))));
  }

  @Test
  void tlsNeedsReadableCertificateAndKeyTogether() throws Exception {
    Path cert = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
    assertFails("http.tlsKeyPath", new JsonObject().put("http", new JsonObject().put("tlsCertPath", cert.toString())));
    assertFails("http.tlsCertPath", new JsonObject().put("http", new JsonObject()
        .put("tlsCertPath", dir.resolve("missing.pem").toString()).put("tlsKeyPath", key.toString())));
    SwitchboardOptions o = load(new JsonObject().put("http", new JsonObject()
        .put("tlsCertPath", cert.toString()).put("tlsKeyPath", key.toString())));
    assertEquals(cert.toString(), o.getHttp().getTls().certPath());

    assertFails("cluster.tlsTrustPath", new JsonObject().put("cluster", new JsonObject()
        .put("tlsCertPath", cert.toString()).put("tlsKeyPath", key.toString())));
    assertFails("cluster.tlsTrustPath", new JsonObject().put("cluster", new JsonObject().put("tlsTrustPath", cert.toString())));
    o = load(new JsonObject().put("cluster", new JsonObject()
        .put("tlsCertPath", cert.toString()).put("tlsKeyPath", key.toString()).put("tlsTrustPath", cert.toString())));
    assertTrue(o.getCluster().getTls().trustPath().endsWith("cert.pem"));
  }
}
