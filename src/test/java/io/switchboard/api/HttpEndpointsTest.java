package io.switchboard.api;

import io.switchboard.support.Http;
import io.switchboard.support.SharedNode;
import io.switchboard.support.TestNode;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpEndpointsTest {

  @RegisterExtension
  static final SharedNode NODE = new SharedNode();

  @Test
  void healthEndpointsAnswerUp() {
    Http.Response live = NODE.node().http().get("/health/live");
    assertEquals(200, live.status());
    assertEquals("UP", new JsonObject(live.body()).getString("status"));
    Http.Response ready = NODE.node().http().get("/health/ready");
    assertEquals(200, ready.status());
    JsonObject body = new JsonObject(ready.body());
    assertEquals("UP", body.getString("status"));
    assertEquals(2, body.getJsonArray("checks").size(), "gateway and store checks: " + body);
  }

  @Test
  void metricsExposeTheGatewayInPrometheusFormat() {
    try (WsClient alice = NODE.node().login("met-alice"); WsClient bob = NODE.node().login("met-bob")) {
      alice.sendTo("user:met-bob", "counted", null);
      bob.messages("user:met-bob", 1);
      alice.sendText("garbage");
      alice.awaitType("error");

      String metrics = NODE.node().http().get("/metrics").body();
      assertTrue(value(metrics, "switchboard_connections") >= 2, "open connections");
      assertTrue(value(metrics, "switchboard_handshakes_total{outcome=\"welcomed\"}") >= 2);
      assertTrue(value(metrics, "switchboard_frames_in_total{type=\"send\"}") >= 1);
      assertTrue(value(metrics, "switchboard_frames_in_total{type=\"invalid\"}") >= 1);
      assertTrue(value(metrics, "switchboard_frames_out_total{type=\"message\"}") >= 1);
      assertTrue(value(metrics, "switchboard_messages_total{kind=\"user\",transient=\"false\"}") >= 1);
      assertTrue(value(metrics, "switchboard_errors_total{code=\"bad_request\"}") >= 1);
      assertTrue(value(metrics, "switchboard_delivery_latency_seconds_count") >= 1);
      assertTrue(metrics.contains("switchboard_delivery_latency_seconds_bucket{le="), "latency histogram buckets");
      assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics");
      assertTrue(metrics.contains("vertx_http_server"), "Vert.x HTTP metrics");
      // under the names of Prometheus' own process collector, which dashboards and alerts know
      assertTrue(value(metrics, "process_open_fds") > 0, "open file descriptors");
      assertTrue(value(metrics, "process_max_fds") >= value(metrics, "process_open_fds"), "the descriptor limit");
      // a standalone node is in no cluster: no member count that would read as a cluster of one
      assertFalse(metrics.contains("switchboard_cluster_members"), "no cluster series on a standalone node");
    }
    // a closed connection is counted by its close code once the server has processed it
    double closes = 0;
    for (long deadline = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < deadline && closes < 2; ) {
      closes = value(NODE.node().http().get("/metrics").body(), "switchboard_closes_total{code=\"1000\"}");
    }
    assertTrue(closes >= 2, "close codes counted");
  }

  /** A production node shows no chat to strangers; the SDK stays for the applications' own pages. */
  @Test
  void outsideDevModeTheDemoPageIsOffUnlessTurnedOnAndTheSdkIsServed() throws Exception {
    assertEquals(404, NODE.node().http().get("/").status());
    assertEquals(404, NODE.node().http().get("/app.js").status());
    Http.Response sdk = NODE.node().http().get("/sdk/switchboard.js");
    assertEquals(200, sdk.status());
    assertTrue(sdk.body().contains("Switchboard"), "the SDK");
    try (TestNode demo = TestNode.start(new JsonObject().put("http", new JsonObject().put("demoPage", true)))) {
      Http.Response page = demo.http().get("/");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("Switchboard"));
      // the page's scripts, styles and socket come from the node; nothing inline runs, nobody frames it
      HttpResponse<Void> headers = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + demo.port() + "/")).build(), HttpResponse.BodyHandlers.discarding());
      assertEquals(PageHeaders.SAME_ORIGIN, headers.headers().firstValue("content-security-policy").orElse(null));
      assertEquals("DENY", headers.headers().firstValue("x-frame-options").orElse(null));
      assertEquals("nosniff", headers.headers().firstValue("x-content-type-options").orElse(null));
    }
  }

  @Test
  void aPlainGetOnTheWebSocketPathExplainsItself() {
    Http.Response ws = NODE.node().http().get("/ws");
    assertEquals(426, ws.status());
  }

  @Test
  void devTokensDoNotExistOutsideDevMode() {
    assertEquals(404, NODE.node().http().get("/dev/token?user=alice").status());
  }

  /** The value of one Prometheus sample line, or -1 when the series is absent. */
  static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }
}
