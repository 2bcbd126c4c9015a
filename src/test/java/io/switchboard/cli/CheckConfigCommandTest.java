package io.switchboard.cli;

import io.switchboard.config.Setting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check-config}: the node's checks at start, and every setting printed with its origin, secrets masked. */
class CheckConfigCommandTest {

  static final String SECRET = "check-config-secret-0123456789abcdefghij";
  static final String REDIS_PASSWORD = "redis-pa55word";
  static final String API_KEY = "check-config-api-key-0123456789";

  @Test
  void aValidConfigurationIsPrintedKeyByKeyWithWhereEachValueCameFrom(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("prod.json");
    Files.writeString(conf, """
        {
          // comments are allowed
          "http": {"host": "0.0.0.0", "port": 9000},
          "store": {"type": "redis"},
          "redis": {"url": "redis://:%s@redis.internal:6379/0"},
          "api": {"keys": ["%s"]}
        }""".formatted(REDIS_PASSWORD, API_KEY));
    CliRun r = CliRun.run(Map.of("SB_JWT_SECRET", SECRET, "SB_HTTP_PORT", "9100"), "check-config", "-conf", conf.toString());

    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().startsWith("Valid configuration: -conf " + conf + ", 2 SB_* environment variables, standalone."), r.out());
    assertRow(r, "http.host", "0.0.0.0", "file");
    assertRow(r, "http.port", "9100", "env SB_HTTP_PORT");
    assertRow(r, "limits.maxMessageBytes", "65536", "default");
    assertRow(r, "auth.devMode", "false", "default");
    assertRow(r, "auth.jwtSecret", "*** (" + SECRET.length() + " characters)", "env SB_JWT_SECRET");
    assertRow(r, "redis.url", "[\"redis://***@redis.internal:6379/0\"]", "file");
    assertRow(r, "api.keys", "1 key ***", "file");
    assertRow(r, "cluster.name", "(cluster.xml)", "default");
    assertRow(r, "auth.issuer", "(not set)", "default");
    for (String secret : new String[] {SECRET, REDIS_PASSWORD, API_KEY}) {
      assertFalse(r.out().contains(secret), "no secret in the output: " + r.out());
    }
    for (Setting s : Setting.values()) {
      assertTrue(r.out().contains("\n" + s.key() + " "), "a row for " + s.key());
    }
    assertTrue(r.out().contains("store: redis"), r.out());
  }

  @Test
  void anInvalidConfigurationExits78NamingTheKeyAsTheNodeWould(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("typo.json");
    Files.writeString(typo, "{\"http\": {\"prot\": 8080}}");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"store\": {\"type\": \"redis\"},}");
    Object[][] cases = {
        {Map.of("SB_HTTP_PORT", "eighty"), new String[] {"check-config"},
            "Invalid configuration: http.port: must be a whole number, got \"eighty\" (from environment variable SB_HTTP_PORT)"},
        {Map.of(), new String[] {"check-config", "-conf", typo.toString()}, "Invalid configuration: http.prot: unknown configuration key"},
        {Map.of(), new String[] {"check-config", "-conf", broken.toString()}, "Invalid configuration: -conf: " + broken + " is not a JSON object"},
        {Map.of(), new String[] {"check-config", "-conf", dir.resolve("missing.json").toString()}, "Invalid configuration: -conf: "},
        {Map.of(), new String[] {"check-config", "-conf", "conf/config.json"}, "Invalid configuration: auth.jwtSecret: required outside dev mode"},
        {Map.of("SB_HTTP_PROT", "1"), new String[] {"check-config"}, "Invalid configuration: SB_HTTP_PROT: unknown environment variable"},
        {Map.of("SB_STORE", "memory"), new String[] {"check-config", "-cluster"},
            "Invalid configuration: store.type: a clustered node cannot use the in-memory store"},
        // the secret's value never appears in an error either
        {Map.of("SB_JWT_SECRET", "short"), new String[] {"check-config"}, "Invalid configuration: auth.jwtSecret: must be at least 32 characters"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, String> env = (Map<String, String>) c[0];
      CliRun r = CliRun.run(env, (String[]) c[1]);
      assertEquals(78, r.status(), r.toString());
      assertTrue(r.err().startsWith((String) c[2]), r.toString());
      assertEquals("", r.out());
    }
  }

  @Test
  void aClusteredNodeOnAutoUsesRedisAndSaysSo() {
    CliRun r = CliRun.run(Map.of(), "check-config", "-cluster");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("clustered (-cluster)"), r.out());
    assertTrue(r.out().contains("store: redis"), r.out());
    assertRow(r, "store.type", "auto", "default");
  }

  @Test
  void aNodeWhoseBackendAuthenticatesSaysSo() {
    String backendSecret = "backend-secret-0123456789abcdefghijklmn";
    CliRun r = CliRun.run(Map.of("SB_PROXY_CONNECT_URL", "https://app.example/connect", "SB_BACKEND_SECRETS", backendSecret),
        "check-config");
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("auth: the connect proxy https://app.example/connect for any other credential."), r.out());
    assertFalse(r.out().contains(backendSecret), "backend.secrets is masked");
    assertRow(r, "backend.secrets", "1 key ***", "env SB_BACKEND_SECRETS");
    CliRun both = CliRun.run(Map.of("SB_PROXY_CONNECT_URL", "https://app.example/connect", "SB_BACKEND_SECRETS", backendSecret,
        "SB_JWT_SECRET", SECRET), "check-config");
    assertTrue(both.out().contains("auth: HS256 tokens, checked with auth.jwtSecret, and the connect proxy"), both.out());
  }

  private static void assertRow(CliRun r, String key, String value, String from) {
    String row = "\n" + key + " +" + java.util.regex.Pattern.quote(value) + " +" + java.util.regex.Pattern.quote(from) + "\n";
    assertTrue(java.util.regex.Pattern.compile(row).matcher(r.out()).find(), "row " + key + " = " + value + " from " + from + ":\n" + r.out());
  }
}
