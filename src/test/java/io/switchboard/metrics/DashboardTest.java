package io.switchboard.metrics;

import io.switchboard.support.TestNode;
import io.switchboard.support.WebhookReceiver;
import io.switchboard.support.Tokens;
import io.switchboard.support.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/grafana/switchboard.json asks only for series a node exports: every metric name in every
 * PromQL expression of the dashboard is in the /metrics output of a node that has seen some traffic.
 */
class DashboardTest {

  static final Path DASHBOARD = Path.of("deploy/grafana/switchboard.json");

  /** PromQL words that are not metric names: functions are recognised by their "(", these are not. */
  static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
      "bool", "and", "or", "unless", "offset", "inf", "nan");

  static TestNode node;
  static WebhookReceiver receiver;
  static String exposition;

  @BeforeAll
  static void nodeWithTraffic() {
    // webhooks on, so that their series are exported too
    receiver = new WebhookReceiver("dashboard-test-backend-secret-0123456789");
    node = TestNode.start(new JsonObject()
        .put("backend", new JsonObject().put("secrets", new JsonArray().add(receiver.secret())))
        .put("webhooks", new JsonObject().put("url", receiver.url()).put("maxWaitMs", 50)));
    try (WsClient alice = node.login("dash-alice");
         WsClient bob = node.login("dash-bob");
         WsClient carol = node.connect()) {
      carol.hello(Tokens.user("dash-carol").broadcast(true).sign(), null, null);
      bob.join("dash-room");
      alice.join("dash-room");
      assertEquals("sent", alice.sendTo("user:dash-bob", "hi", null).getString("type"));
      assertEquals("sent", alice.sendTo("room:dash-room", "all of you", null).getString("type"));
      assertEquals("sent", carol.sendTo("all", "everyone", null).getString("type"));
      alice.send(new JsonObject().put("type", "send").put("ref", "t").put("to", "user:dash-bob")
          .put("body", "typing").put("transient", true));
      bob.messages("user:dash-bob", 1);
      bob.messages("room:dash-room", 1);
      bob.messages("all", 1);
      alice.sendText("{not json");
      alice.awaitType("error");
    }
    receiver.await("a webhook delivered", e -> "presence.online".equals(e.getString("type")));
    try (WsClient mallory = node.connect()) {
      mallory.send(new JsonObject().put("type", "hello").put("token", "not-a-token"));
      mallory.awaitClose();
    }
    // a node that runs for a while collects garbage: the GC pause series exist from the first
    // collection, once Micrometer has had the JVM's notification of it (asynchronously, so wait)
    long deadline = System.currentTimeMillis() + 20_000;
    do {
      System.gc();
      exposition = node.http().get("/metrics").body();
    } while (!exposition.contains("jvm_gc_pause_seconds_sum") && System.currentTimeMillis() < deadline);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExported() throws Exception {
    Set<String> exported = exported(exposition);
    List<String> expressions = new ArrayList<>();
    collectExpressions(new JsonObject(Files.readString(DASHBOARD)), expressions);
    assertTrue(expressions.size() >= 15, "the dashboard's queries: " + expressions);

    Set<String> missing = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (String expr : expressions) {
      for (String name : metricNames(expr)) {
        used.add(name);
        if (!exported.contains(name)) {
          missing.add(name + "  (in " + expr + ")");
        }
      }
    }
    System.out.println("used: " + used + "\nexported: " + exported);
    assertTrue(missing.isEmpty(), "queried but not exported:\n" + String.join("\n", missing));
    for (String family : List.of("switchboard_store_latency", "switchboard_delivery_latency", "vertx_eventbus_", "jvm_",
        "process_cpu")) {
      assertTrue(used.stream().anyMatch(n -> n.startsWith(family)), "the dashboard shows " + family + "*");
    }
  }

  @Test
  void itIsAGrafanaDashboardWithThePrometheusDatasourceAsAVariable() throws Exception {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertTrue(dashboard.getInteger("schemaVersion") >= 36, "schemaVersion");
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    assertTrue(variables.stream().map(JsonObject.class::cast)
        .anyMatch(v -> "datasource".equals(v.getString("type")) && "prometheus".equals(v.getString("query"))));
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      if (!"row".equals(panel.getString("type"))) {
        assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
      }
    }
  }

  @Test
  void metricNamesAreTakenFromPromQlNotFunctionsLabelsOrVariables() {
    assertEquals(Set.of("a_bucket"), metricNames(
        "histogram_quantile(0.99, sum by (le, op) (rate(a_bucket{instance=~\"$instance\",x=\"y}\"}[$__rate_interval])))"));
    assertEquals(Set.of("a_total", "b"), metricNames("sum(rate(a_total[5m])) / clamp_min(max without (pod) (b), 1e-9) > 0.5"));
    assertEquals(Set.of("c"), metricNames("label_values(c, instance)"));
  }

  /** Every "expr" of a target and every templating "query" that is PromQL, at any depth. */
  static void collectExpressions(Object node, List<String> out) {
    if (node instanceof JsonObject o) {
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (v instanceof String s && (key.equals("expr") || (key.equals("query") && s.contains("(")))) {
          out.add(s);
        } else if (v instanceof JsonObject q && key.equals("query") && q.getValue("query") instanceof String s) {
          out.add(s);
        } else {
          collectExpressions(v, out);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectExpressions(v, out));
    }
  }

  /** Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or variables. */
  static Set<String> metricNames(String expr) {
    String e = expr
        .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
        .replaceAll("\\{[^}]*}", "")
        .replaceAll("\\[[^]]*]", "")
        .replaceAll("\\$\\{?\\w+}?", "")
        // Grafana's label_values(metric, label): the second argument is a label
        .replaceAll("label_values\\(([^,)]*),[^)]*\\)", "label_values($1)")
        .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*").matcher(e);
    while (m.find()) {
      String word = m.group();
      int next = m.end();
      while (next < e.length() && Character.isWhitespace(e.charAt(next))) {
        next++;
      }
      boolean function = next < e.length() && e.charAt(next) == '(';
      boolean number = m.start() > 0 && (Character.isDigit(e.charAt(m.start() - 1)) || e.charAt(m.start() - 1) == '.');
      if (!function && !number && !KEYWORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
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
