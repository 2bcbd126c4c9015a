package io.switchboard.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/grafana/switchboard.json is a dashboard Grafana's import dialog takes as shared ones are:
 * it asks for the Prometheus data source (an input), and every query goes to that data source.
 * (That every metric it queries is exported: {@link ExportedMetricsTest}.)
 */
class DashboardTest {

  static final String INPUT = "DS_PROMETHEUS";

  @Test
  void theImportDialogAsksForThePrometheusDataSource() {
    JsonObject dashboard = Dashboard.json();
    assertTrue(dashboard.getInteger("schemaVersion") >= 36, "schemaVersion");
    JsonArray inputs = dashboard.getJsonArray("__inputs");
    assertEquals(1, inputs.size(), "one input: " + inputs);
    JsonObject input = inputs.getJsonObject(0);
    assertEquals(INPUT, input.getString("name"));
    assertEquals("datasource", input.getString("type"));
    assertEquals("prometheus", input.getString("pluginId"));
    assertTrue(dashboard.getJsonArray("__requires").stream().map(JsonObject.class::cast)
        .anyMatch(r -> "datasource".equals(r.getString("type")) && "prometheus".equals(r.getString("id"))), "__requires Prometheus");
  }

  @Test
  void everyQueryGoesToTheInputDataSource() {
    JsonObject dashboard = Dashboard.json();
    List<JsonObject> users = new ArrayList<>();
    dashboard.getJsonObject("templating").getJsonArray("list").forEach(v -> users.add((JsonObject) v));
    for (Object p : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) p;
      if (!"row".equals(panel.getString("type"))) {
        users.add(panel);
        panel.getJsonArray("targets").forEach(t -> users.add((JsonObject) t));
      }
    }
    for (JsonObject user : users) {
      String what = user.getString("title", user.getString("name", user.getString("refId")));
      if (user.containsKey("datasource") || user.containsKey("expr") || "query".equals(user.getString("type"))) {
        assertEquals("prometheus", user.getJsonObject("datasource").getString("type"), what);
        assertEquals("${" + INPUT + "}", user.getJsonObject("datasource").getString("uid"), what);
      }
    }
    assertFalse(dashboard.encode().contains("${datasource}"), "no leftover data-source variable");
  }

  @Test
  void panelsDoNotOverlap() {
    List<JsonObject> panels = new ArrayList<>();
    Dashboard.json().getJsonArray("panels").forEach(p -> panels.add((JsonObject) p));
    for (int i = 0; i < panels.size(); i++) {
      for (int j = i + 1; j < panels.size(); j++) {
        JsonObject a = panels.get(i).getJsonObject("gridPos");
        JsonObject b = panels.get(j).getJsonObject("gridPos");
        boolean apart = a.getInteger("x") + a.getInteger("w") <= b.getInteger("x") || b.getInteger("x") + b.getInteger("w") <= a.getInteger("x")
            || a.getInteger("y") + a.getInteger("h") <= b.getInteger("y") || b.getInteger("y") + b.getInteger("h") <= a.getInteger("y");
        assertTrue(apart, panels.get(i).getString("title") + " overlaps " + panels.get(j).getString("title"));
      }
    }
  }
}
