package io.switchboard.admin;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigLoader;
import io.switchboard.support.LogCapture;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who gets into the admin console and its feed, over plain HTTP: off (404) without admin keys; the
 * page public but holding nothing; every data route 401 without a key or with a wrong one; an API
 * key refused by the console (403) while an admin key opens every /api/v1 route; the feed at most
 * once a second; and every change made with an admin key logged with the key's identity only.
 */
class AdminAccessTest {

  static final String API_KEY = "admin-test-api-key-0123456789";
  static final String ADMIN_KEY = "admin-test-admin-key-0123456789";
  static TestNode on;
  static TestNode off;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() {
    on = TestNode.start(new JsonObject()
        .put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY)))
        .put("admin", new JsonObject().put("keys", new JsonArray().add("another-admin-key-0123456789").add(ADMIN_KEY))));
    off = TestNode.start(new JsonObject().put("api", new JsonObject().put("keys", new JsonArray().add(API_KEY)))
        .put("http", new JsonObject().put("demoPage", true)));
  }

  @AfterAll
  static void stop() {
    on.close();
    off.close();
  }

  HttpResponse<String> get(TestNode node, String path, String key) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(20));
    if (key != null) {
      r.header("Authorization", "Bearer " + key);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(TestNode node, String path, String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutAdminKeysTheConsoleIsNotThere() throws Exception {
    // the demo page is on here: its catch-all static route must not serve anything under /admin either
    for (String path : List.of("/admin", "/admin/", "/admin/index.html", "/admin/main.js")) {
      assertEquals(404, get(off, path, null).statusCode(), path);
    }
    assertEquals(403, get(off, "/api/v1/admin/stream", API_KEY).statusCode());
  }

  @Test
  void thePageIsServedWithStrictHeadersAndHoldsNoData() throws Exception {
    HttpResponse<String> redirect = get(on, "/admin", null);
    assertEquals(302, redirect.statusCode());
    assertEquals("/admin/", redirect.headers().firstValue("location").orElse(null));
    HttpResponse<String> page = get(on, "/admin/", null);
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<script type=\"module\" src=\"main.js\"></script>"), page.body());
    assertFalse(page.body().contains("<script>"), "no inline script: the CSP forbids it");
    String csp = page.headers().firstValue("content-security-policy").orElse("");
    assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), csp);
    assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(null));
    assertEquals("DENY", page.headers().firstValue("x-frame-options").orElse(null));
    assertTrue(page.headers().firstValue("set-cookie").isEmpty());
    HttpResponse<String> script = get(on, "/admin/main.js", null);
    assertTrue(script.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
  }

  @Test
  void dataNeedsAnAdminKey() throws Exception {
    assertEquals(401, get(on, "/api/v1/admin/stream", null).statusCode());
    HttpResponse<String> wrong = get(on, "/api/v1/admin/stream", "not-the-admin-key-0123456789");
    assertEquals(401, wrong.statusCode());
    assertEquals("unauthorized", new JsonObject(wrong.body()).getString("error"));
    HttpResponse<String> apiKey = get(on, "/api/v1/admin/stream", API_KEY);
    assertEquals(403, apiKey.statusCode());
    assertTrue(new JsonObject(apiKey.body()).getString("message").contains("admin key"), apiKey.body());
    assertEquals(401, get(on, "/api/v1/users/ann", null).statusCode());
  }

  @Test
  void anAdminKeyOpensTheWholeApi() throws Exception {
    HttpResponse<String> nodes = get(on, "/api/v1/nodes", ADMIN_KEY);
    assertEquals(200, nodes.statusCode(), nodes.body());
    JsonObject self = new JsonObject(nodes.body()).getJsonArray("nodes").getJsonObject(0);
    assertEquals("127.0.0.1:" + on.port(), self.getString("address"));
    assertEquals("ready", self.getString("state"));
    assertEquals("none", self.getString("redis"), "the test node keeps messages in memory");
    assertTrue(self.getLong("heapUsed") > 0 && self.getLong("heapMax") >= self.getLong("heapUsed"), self.encode());
    assertNotNull(self.getValue("messagesInPerSecond"));
    assertEquals(200, post(on, "/api/v1/streams/room:lobby/messages", ADMIN_KEY, "{\"body\":\"hi\"}").statusCode());
  }

  @Test
  void theFeedSendsEveryNodeAtMostOnceASecond() throws Exception {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port() + "/api/v1/admin/stream"))
        .header("Authorization", "Bearer " + ADMIN_KEY).build();
    HttpResponse<InputStream> response = http.send(r, HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    List<JsonObject> events = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      CompletableFuture.runAsync(() -> {
        try {
          for (String line = in.readLine(); line != null && events.size() < 4; line = in.readLine()) {
            if (line.startsWith("data: ")) {
              events.add(new JsonObject(line.substring(6)));
            }
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).get(30, TimeUnit.SECONDS);
    }
    for (int i = 1; i < events.size(); i++) {
      long gap = events.get(i).getLong("at") - events.get(i - 1).getLong("at");
      assertTrue(gap >= 1000, "updates " + gap + " ms apart");
    }
    JsonArray nodes = events.get(3).getJsonArray("nodes");
    assertEquals(1, nodes.size());
    assertEquals(on.options().getNodeName(), nodes.getJsonObject(0).getString("name"));
  }

  @Test
  void changesMadeWithAnAdminKeyAreLoggedWithItsIdentity() throws Exception {
    try (LogCapture log = new LogCapture(AdminAudit.class)) {
      assertEquals(200, post(on, "/api/v1/streams/room:audit/messages", ADMIN_KEY, "{\"body\":\"x\"}").statusCode());
      assertEquals(200, post(on, "/api/v1/streams/room:audit/messages", API_KEY, "{\"body\":\"y\"}").statusCode());
      assertEquals(200, get(on, "/api/v1/rooms/audit", ADMIN_KEY).statusCode());
      String line = "admin " + AdminKeys.identity(ADMIN_KEY) + ": POST /api/v1/streams/room:audit/messages -> 200";
      RedisServer.await("the audit line " + line + " in " + log.messages(), 10_000, () -> log.count(line) == 1);
      assertEquals(1, log.messages().size(), "only the admin key's change is logged: " + log.messages());
      assertFalse(log.messages().get(0).contains(ADMIN_KEY));
      assertTrue(AdminKeys.identity(ADMIN_KEY).matches("sha256:[0-9a-f]{8}"));
    }
  }

  @Test
  void shortAdminKeysStopTheNodeNamingTheKey() {
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(new JsonObject(), Map.of("SB_ADMIN_KEYS", "short")));
    assertTrue(e.getMessage().contains("admin.keys") && e.getMessage().contains("24"), e.getMessage());
    assertFalse(e.getMessage().contains("short\""), "a secret's value is never printed: " + e.getMessage());
  }
}
