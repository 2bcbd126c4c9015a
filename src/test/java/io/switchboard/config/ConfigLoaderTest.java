package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

  static final String SECRET = "a-secret-of-at-least-thirty-two-characters";

  @Test
  void noConfigurationAtAllIsDevModeOnLoopbackWithTheDocumentedDefaults() {
    SwitchboardOptions o = ConfigLoader.load(null, Map.of());
    assertTrue(o.getAuth().isDevMode());
    assertEquals("127.0.0.1", o.getHttp().getHost());
    assertEquals(8080, o.getHttp().getPort());
    assertEquals(65536, o.getLimits().getMaxMessageBytes());
    assertEquals(25_000, o.getProtocol().getHeartbeatMs());
    assertEquals(5_000, o.getProtocol().getHelloTimeoutMs());
    assertEquals(1000, o.getStore().getRetentionMessages());
    assertEquals(7 * 24 * 3600, o.getStore().getRetentionSeconds());
    assertEquals(600, o.getStore().getIdempotencySeconds());
    assertEquals(100, o.getLimits().getMessagesPerSecond());
    assertEquals(200, o.getLimits().getMessagesBurst());
    assertFalse(o.getHttp().isCompression());
    assertEquals(List.of(), o.getHttp().getAllowedOrigins());
  }

  @Test
  void environmentVariablesOverrideTheFile() {
    JsonObject file = new JsonObject().put("http", new JsonObject().put("port", 9000).put("host", "127.0.0.1"));
    SwitchboardOptions o = ConfigLoader.load(file, Map.of(
        "SB_HTTP_PORT", "9100",
        "SB_JWT_SECRET", SECRET,
        "SB_ALLOWED_ORIGINS", "https://a.example, https://b.example",
        "SB_WS_COMPRESSION", "true",
        "SB_RETENTION_SECONDS", "3600"));
    assertEquals(9100, o.getHttp().getPort());
    assertEquals(SECRET, o.getAuth().getJwtSecret());
    assertFalse(o.getAuth().isDevMode(), "a configured secret means production mode");
    assertEquals(List.of("https://a.example", "https://b.example"), o.getHttp().getAllowedOrigins());
    assertTrue(o.getHttp().isCompression());
    assertEquals(3600, o.getStore().getRetentionSeconds());
  }

  @Test
  void theShippedConfigFilesLoad() throws Exception {
    JsonObject production = new JsonObject(Files.readString(Path.of("conf/config.json")));
    ConfigException noSecret = assertThrows(ConfigException.class, () -> ConfigLoader.load(production, Map.of()));
    assertEquals("auth.jwtSecret", noSecret.key(), "production config requires a secret");
    SwitchboardOptions o = ConfigLoader.load(production, Map.of("SB_JWT_SECRET", SECRET));
    assertEquals("0.0.0.0", o.getHttp().getHost());

    SwitchboardOptions dev = ConfigLoader.load(new JsonObject(Files.readString(Path.of("conf/dev.json"))), Map.of());
    assertTrue(dev.getAuth().isDevMode());
  }

  @Test
  void errorsNameTheKey() {
    assertKey("http.port", new JsonObject().put("http", new JsonObject().put("port", "eighty")), Map.of());
    assertKey("http.port", new JsonObject().put("http", new JsonObject().put("port", 70000)), Map.of());
    assertKey("http.port", null, Map.of("SB_HTTP_PORT", "abc"));
    assertKey("http.compression", null, Map.of("SB_WS_COMPRESSION", "yes please"));
    assertKey("limits.messagesBurst", new JsonObject().put("limits",
        new JsonObject().put("messagesPerSecond", 100).put("messagesBurst", 10)), Map.of());
    assertKey("http.allowedOrigins", new JsonObject().put("http",
        new JsonObject().put("allowedOrigins", new JsonArray().add("https://app.example.com/path"))), Map.of());
    assertKey("store.type", null, Map.of("SB_STORE", "cassandra"));
    assertKey("node.name", null, Map.of("SB_NODE_NAME", "has spaces"));

    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SB_HTTP_PORT", "abc")));
    assertTrue(e.getMessage().contains("SB_HTTP_PORT"), "says where the bad value came from: " + e.getMessage());
  }

  @Test
  void anUnknownEnvironmentVariableIsAnErrorToo() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(null, Map.of("SB_HTTP_PROT", "80")));
    assertEquals("SB_HTTP_PROT", e.key());
    assertTrue(ConfigLoader.load(null, Map.of("SBX_OTHER", "1", "PATH", "/bin")).getAuth().isDevMode(), "other variables are not ours");
  }

  @Test
  void anUnknownKeyIsAnErrorNotSilence() {
    assertKey("http.prot", new JsonObject().put("http", new JsonObject().put("prot", 80)), Map.of());
    assertKey("htttp", new JsonObject().put("htttp", new JsonObject()), Map.of());
  }

  @Test
  void devModeNeverBindsBeyondLoopback() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(null, Map.of("SB_HTTP_HOST", "0.0.0.0")));
    assertEquals("http.host", e.key());
    assertTrue(ConfigLoader.load(null, Map.of("SB_HTTP_HOST", "0.0.0.0", "SB_JWT_SECRET", SECRET)).getAuth().getJwtSecret() != null);
  }

  @Test
  void productionModeNeedsAKey() {
    assertKey("auth.jwtSecret", null, Map.of("SB_DEV_MODE", "false"));
    assertKey("auth.jwtSecret", null, Map.of("SB_JWT_SECRET", "too-short"));
  }

  @Test
  void aPublicKeyDecidesTheAlgorithm() throws Exception {
    for (String[] kind : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      KeyPairGenerator gen = KeyPairGenerator.getInstance(kind[0]);
      String pem = "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder().encodeToString(gen.generateKeyPair().getPublic().getEncoded())
          + "\n-----END PUBLIC KEY-----\n";
      SwitchboardOptions o = ConfigLoader.load(null, Map.of("SB_JWT_PUBLIC_KEY", pem));
      assertEquals(kind[1], o.getAuth().getJwtAlgorithm());
      assertFalse(o.getAuth().isDevMode());

      Path file = Files.createTempFile("key", ".pem");
      Files.writeString(file, pem);
      assertEquals(kind[1], ConfigLoader.load(null, Map.of("SB_JWT_PUBLIC_KEY", file.toString())).getAuth().getJwtAlgorithm());
      Files.delete(file);
    }
    assertKey("auth.jwtPublicKey", null, Map.of("SB_JWT_PUBLIC_KEY", "/no/such/file.pem"));
    assertKey("auth.jwtPublicKey", null, Map.of("SB_JWT_PUBLIC_KEY", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    assertKey("auth.jwtAlgorithm", null, Map.of("SB_JWT_SECRET", SECRET, "SB_JWT_ALGORITHM", "RS256"));
    assertKey("auth.jwtPublicKey", null, Map.of("SB_JWT_SECRET", SECRET, "SB_JWT_PUBLIC_KEY", "x"));
  }

  @Test
  void everySettingHasAUniqueKeyAndEnvironmentVariable() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    java.util.Set<String> envs = new java.util.HashSet<>();
    for (Setting s : Setting.values()) {
      assertTrue(keys.add(s.key()), "duplicate key " + s.key());
      assertTrue(envs.add(s.env()), "duplicate env " + s.env());
      assertTrue(s.env().startsWith("SB_"));
    }
  }

  private static void assertKey(String key, JsonObject file, Map<String, String> env) {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, env));
    assertEquals(key, e.key(), e.getMessage());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
