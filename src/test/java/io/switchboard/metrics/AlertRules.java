package io.switchboard.metrics;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The alerting rules of deploy/prometheus/switchboard-alerts.yml, by alert name. */
final class AlertRules {

  static final Path FILE = Path.of("deploy/prometheus/switchboard-alerts.yml");

  /** One alerting rule; {@code forDuration} is "0m" when the rule has no {@code for}. */
  record Alert(String name, String expr, String forDuration, String severity) {
  }

  private AlertRules() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Alert> load() {
    Map<String, Object> root;
    try {
      root = new Yaml().load(Files.readString(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Alert> alerts = new LinkedHashMap<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) root.get("groups")) {
      for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
        String name = (String) rule.get("alert");
        if (name != null) {
          Map<String, Object> labels = (Map<String, Object>) rule.getOrDefault("labels", Map.of());
          Alert previous = alerts.put(name, new Alert(name, normalized((String) rule.get("expr")),
              String.valueOf(rule.getOrDefault("for", "0m")), (String) labels.get("severity")));
          if (previous != null) {
            throw new IllegalStateException("alert " + name + " defined twice in " + FILE);
          }
        }
      }
    }
    return alerts;
  }

  /** Whitespace runs as one space: a long expression may be folded over lines in the file. */
  static String normalized(String expr) {
    return expr.strip().replaceAll("\\s+", " ");
  }
}
