package io.switchboard.metrics;

import io.switchboard.support.Http;
import io.switchboard.support.RedisServer;
import io.switchboard.support.TestCluster;
import io.switchboard.support.TestNode;
import io.switchboard.support.Tokens;
import io.switchboard.support.WebhookReceiver;
import io.switchboard.support.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a real node serves on /metrics, against what reads it: every metric the Grafana dashboard
 * and the alerting rules query is exported, every name is in base units, and the cluster and API
 * meters are there with the labels the docs give. The node is one of two clustered on a real Redis
 * (series only a clustered node has) and has seen traffic (series that appear with their first
 * event: a close, an API call, a collection).
 */
class ExportedMetricsTest {

  static final String KEY = "metrics-test-api-key-0123456789";

  /** Series of Prometheus itself and of exporters next to the nodes, which the rules may read. */
  static final Set<String> NOT_FROM_NODES = Set.of(
      "up",                     // Prometheus, for every scrape
      "kube_pod_status_ready",  // kube-state-metrics
      "probe_success");         // the blackbox exporter probing /health/ready

  /** Units other than Prometheus' base units (seconds, bytes) as a name's last word. */
  static final Pattern NON_BASE_UNIT = Pattern.compile(
      "_(ns|us|ms|nanos|micros|millis|nanoseconds|microseconds|milliseconds|minutes|hours|days"
          + "|kb|mb|gb|kib|mib|gib|kilobytes|megabytes|gigabytes|percent)$");
  static final Pattern SERIES_SUFFIX = Pattern.compile("_(total|bucket|sum|count|max|created|info)$");

  static RedisServer redis;
  static WebhookReceiver receiver;
  static TestCluster cluster;
  static String exposition;

  @BeforeAll
  static void clusteredNodeWithTraffic() {
    redis = RedisServer.ephemeral().start();
    // webhooks and a proxy on, so that their series (which only such nodes have) are exported too;
    // the proxy covers streams no traffic here goes to, so it is never called
    receiver = new WebhookReceiver("metrics-test-backend-secret-0123456789");
    cluster = TestCluster.onRedis(2, redis, new JsonObject()
        .put("api", new JsonObject().put("keys", new JsonArray().add(KEY)))
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(receiver.secret())))
        .put("webhooks", new JsonObject().put("url", receiver.url()).put("maxWaitMs", 50))
        .put("proxy", new JsonObject().put("publishUrl", receiver.url()).put("publishStreams", new JsonArray().add("room:proxied-*"))));
    TestNode node = cluster.node(0);
    try (WsClient alice = node.login("met-alice");
         WsClient bob = node.login("met-bob");
         WsClient carol = node.connect()) {
      carol.hello(Tokens.user("met-carol").broadcast(true).sign(), null, null);
      bob.join("met-room");
      alice.join("met-room");
      assertEquals("sent", alice.sendTo("user:met-bob", "hi", null).getString("type"));
      assertEquals("sent", alice.sendTo("room:met-room", "all of you", null).getString("type"));
      assertEquals("sent", carol.sendTo("all", "everyone", null).getString("type"));
      alice.send(new JsonObject().put("type", "send").put("ref", "t").put("to", "user:met-bob")
          .put("body", "typing").put("transient", true));
      bob.messages("user:met-bob", 1);
      bob.messages("room:met-room", 1);
      bob.messages("all", 1);
      alice.sendText("{not json");
      alice.awaitType("error");
    }
    try (WsClient mallory = node.connect()) {
      mallory.send(new JsonObject().put("type", "hello").put("token", "not-a-token"));
      mallory.awaitClose();
    }
    Map<String, String> auth = Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json");
    Http http = node.http();
    assertEquals(200, http.call(HttpMethod.POST, "/api/v1/streams/user:met-bob/messages", auth,
        new JsonObject().put("body", "from the backend").encode()).status());
    assertEquals(200, http.call(HttpMethod.GET, "/api/v1/streams/user:met-bob/messages?limit=1", auth, null).status());
    assertEquals(401, http.get("/api/v1/nodes").status());
    assertEquals(404, http.call(HttpMethod.GET, "/api/v1/no/such/route", auth, null).status());

    // until every series the dashboard and the rules read is there (a close is counted once the
    // node has processed it; GC pauses once Micrometer had the JVM's notification of one), or 30 s
    Set<String> wanted = new TreeSet<>(usedByDashboard());
    wanted.addAll(usedByRules());
    wanted.removeAll(NOT_FROM_NODES);
    try {
      RedisServer.await("the series the dashboard and the rules read", 30_000, () -> {
        System.gc();
        exposition = http.get("/metrics").body();
        return exported(exposition).containsAll(wanted) && clusterMembers() == 2;
      });
    } catch (IllegalStateException timedOut) {
      // the tests below say what is missing
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (redis != null) {
      redis.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() {
    Set<String> used = usedByDashboard();
    assertTrue(Dashboard.expressions().size() >= 20, "the dashboard's queries: " + Dashboard.expressions());
    assertEquals(Set.of(), missing(used), "queried by " + Dashboard.FILE + " but not exported");
    for (String family : List.of("switchboard_store_latency", "switchboard_delivery_latency", "switchboard_api_request_duration",
        "switchboard_cluster_members", "process_open_fds", "process_max_fds", "vertx_eventbus_", "jvm_", "process_cpu")) {
      assertTrue(used.stream().anyMatch(n -> n.startsWith(family)), "the dashboard shows " + family + "*");
    }
  }

  @Test
  void everyMetricTheAlertingRulesReadIsExported() {
    Set<String> used = usedByRules();
    assertTrue(used.containsAll(Set.of("switchboard_errors_total", "switchboard_cluster_members", "process_open_fds",
        "switchboard_api_request_duration_seconds_bucket")), "the rules read: " + used);
    Set<String> external = new TreeSet<>(used);
    external.retainAll(NOT_FROM_NODES);
    assertEquals(NOT_FROM_NODES, external, "the rules use Prometheus' and the exporters' series they are allowed to");
    assertEquals(Set.of(), missing(used), "read by " + AlertRules.FILE + " but not exported");
  }

  @Test
  void everyNameIsInBaseUnits() {
    Set<String> wrong = new TreeSet<>();
    for (String name : exported(exposition)) {
      if (!inBaseUnits(name)) {
        wrong.add(name);
      }
    }
    assertEquals(Set.of(), wrong, "series not in seconds or bytes");
    assertTrue(exposition.contains("\nprocess_cpu_seconds_total "), "CPU time under the name Prometheus' process collector uses");
    assertTrue(exposition.contains("\njvm_compilation_time_seconds_total{"), "JIT time in seconds");
  }

  @Test
  void theBaseUnitCheckCatchesOtherUnits() {
    for (String name : List.of("jvm_compilation_time_ms_total", "process_cpu_time_ns_total", "x_latency_millis_bucket",
        "x_uptime_minutes", "x_heap_mb", "x_age_us_sum")) {
      assertFalse(inBaseUnits(name), name);
    }
    for (String name : List.of("process_cpu_seconds_total", "jvm_memory_used_bytes", "switchboard_messages_total",
        "x_seconds_max", "system_load_average_1m", "jvm_threads_states_threads")) {
      assertTrue(inBaseUnits(name), name);
    }
  }

  @Test
  void aClusteredNodeExportsHowManyMembersItSees() {
    assertEquals(2, clusterMembers(), "two nodes in the cluster:\n" + grep("switchboard_cluster_members"));
  }

  @Test
  void apiLatencyIsAHistogramByRouteTemplateNeverByPath() {
    String series = grep("switchboard_api_request_duration_seconds");
    String send = "route=\"/api/v1/streams/{stream}/messages\"";
    assertTrue(series.contains("switchboard_api_request_duration_seconds_bucket{method=\"POST\"," + send + ",status=\"200\",le=\"0.001\"}"),
        "buckets of a send:\n" + series);
    assertTrue(series.contains("switchboard_api_request_duration_seconds_count{method=\"GET\"," + send + ",status=\"200\"}"), series);
    // refused before its route ran, counted under the route it asked for
    assertTrue(series.contains("switchboard_api_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/nodes\",status=\"401\"}"), series);
    assertTrue(series.contains("switchboard_api_request_duration_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}"), series);
    assertFalse(series.contains("met-bob") || series.contains("no/such"), "no path a client sent in a label:\n" + series);
  }

  static boolean inBaseUnits(String series) {
    return !NON_BASE_UNIT.matcher(SERIES_SUFFIX.matcher(series).replaceFirst("")).find();
  }

  static Set<String> usedByDashboard() {
    Set<String> used = new TreeSet<>();
    Dashboard.expressions().forEach(e -> used.addAll(PromQl.metricNames(e)));
    return used;
  }

  static Set<String> usedByRules() {
    Set<String> used = new TreeSet<>();
    AlertRules.load().values().forEach(a -> used.addAll(PromQl.metricNames(a.expr())));
    return used;
  }

  private static Set<String> missing(Set<String> used) {
    Set<String> missing = new TreeSet<>(used);
    missing.removeAll(NOT_FROM_NODES);
    missing.removeAll(exported(exposition));
    return missing;
  }

  private static int clusterMembers() {
    Matcher m = Pattern.compile("(?m)^switchboard_cluster_members ([0-9.]+)$").matcher(exposition == null ? "" : exposition);
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  private static String grep(String prefix) {
    StringBuilder out = new StringBuilder();
    exposition.lines().filter(l -> l.startsWith(prefix)).forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }

  /** Series names in Prometheus text format. */
  static Set<String> exported(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = 0;
        while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
          end++;
        }
        names.add(line.substring(0, end));
      }
    }
    return names;
  }
}
