package io.switchboard.client;

import io.switchboard.support.RedisServer;
import io.switchboard.support.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The admin console in headless Chromium (clients/js/test/browser/admin.browser.mjs, driven like
 * BrowserIT) against a clustered pair on a real Redis: log in, watch both nodes' connection counts
 * follow real WebSocket clients, look a user up, publish to a room and see it arrive, disconnect a
 * session and see it closed with 4403; screenshots of a desktop and a phone in target/admin-shots.
 * Skips without Node.js or Chromium unless -Djs.required=true.
 */
class AdminConsoleIT {

  static final String ADMIN_KEY = "admin-console-it-admin-key-0123456789";

  @Test
  void anOperatorWatchesAndSteersAClusteredPair() throws Exception {
    JsTools.requireNode();
    String chromium = JsTools.requireChromium();
    JsTools.npmCi();
    JsonObject config = new JsonObject()
        .put("api", new JsonObject().put("keys", new JsonArray().add(JsTools.API_KEY)))
        .put("admin", new JsonObject().put("keys", new JsonArray().add(ADMIN_KEY)))
        .put("auth", new JsonObject().put("jwtSecret", JsTools.SECRET));
    try (RedisServer redis = RedisServer.ephemeral().start(); TestCluster pair = TestCluster.onRedis(2, redis, config)) {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("SB_URL", "http://127.0.0.1:" + pair.node(0).port());
      env.put("SB_URL_B", "http://127.0.0.1:" + pair.node(1).port());
      env.put("SB_ADMIN_KEY", ADMIN_KEY);
      env.put("SB_API_KEY", JsTools.API_KEY);
      env.put("SB_SECRET", JsTools.SECRET);
      env.put("CHROMIUM", chromium);
      env.put("SB_SHOTS", Path.of("target", "admin-shots").toAbsolutePath().toString());
      JsTools.Result r = JsTools.run("admin", List.of(JsTools.node(), "test/browser/admin.browser.mjs"), env, Duration.ofMinutes(4));
      assertEquals(0, r.exit(), "the admin console test failed:\n" + r.tail());
    }
  }
}
