package io.switchboard.metrics;

import io.switchboard.metrics.AlertRules.Alert;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert table of docs/operations.md and deploy/prometheus/switchboard-alerts.yml say the same:
 * the same alerts, each with the same expression, {@code for} and severity. (That every metric the
 * rules read is exported: {@link ExportedMetricsTest}; that the file loads and its alerts fire:
 * {@code PromtoolIT}.)
 */
class AlertRulesTest {

  static final Path DOC = Path.of("docs/operations.md");
  static final Path UNIT_TESTS = Path.of("deploy/prometheus/switchboard-alerts.test.yml");

  @Test
  void theDocsTableIsTheRulesFile() throws Exception {
    Map<String, Alert> documented = documented(Files.readString(DOC));
    Map<String, Alert> rules = AlertRules.load();
    assertTrue(rules.size() >= 15, "the rules file's alerts: " + rules.keySet());
    assertEquals(rules.keySet(), documented.keySet(), "the alerts of " + AlertRules.FILE + " and of the table in " + DOC);
    for (String name : rules.keySet()) {
      assertEquals(rules.get(name), documented.get(name), name + ": the file, then the doc");
    }
  }

  @Test
  void everyAlertHasASeverityAndASummary() throws Exception {
    for (Alert a : AlertRules.load().values()) {
      assertTrue(Set.of("critical", "warning").contains(a.severity()), a.name() + " severity " + a.severity());
    }
    String file = Files.readString(AlertRules.FILE);
    assertEquals(AlertRules.load().size(), file.split("\n\\s+summary: ", -1).length - 1, "one summary per alert");
  }

  /**
   * The unit tests promtool runs ({@code PromtoolIT}) cover every alert: each fires on the series
   * that should set it off, and stays silent on the healthy cluster.
   */
  @Test
  @SuppressWarnings("unchecked")
  void everyAlertIsUnitTestedFiringAndSilent() throws Exception {
    Map<String, Object> tests = new Yaml().load(Files.readString(UNIT_TESTS));
    Set<String> firing = new TreeSet<>();
    Set<String> silentWhenHealthy = new TreeSet<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) tests.get("tests")) {
      for (Map<String, Object> c : (List<Map<String, Object>>) group.get("alert_rule_test")) {
        String name = (String) c.get("alertname");
        List<Object> expected = (List<Object>) c.get("exp_alerts");
        if (expected != null && !expected.isEmpty()) {
          firing.add(name);
        } else if ("healthy".equals(group.get("name"))) {
          silentWhenHealthy.add(name);
        }
      }
    }
    Set<String> alerts = new TreeSet<>(AlertRules.load().keySet());
    assertEquals(alerts, firing, "alerts with a case in " + UNIT_TESTS + " where they fire");
    assertEquals(alerts, silentWhenHealthy, "alerts checked silent in the group \"healthy\" of " + UNIT_TESTS);
  }

  @Test
  void tableCellsKeepTheirEscapedPipes() {
    Map<String, Alert> rows = documented("""
        ## Alerts

        | alert | PromQL | for | severity | why |
        |---|---|---|---|---|
        | `A` | `sum(x{o=~"a\\|b"}) > 0` | 0m | warning | why, with a | in it |
        | `B` | `y  ==  0` | 5m | critical | because |

        ## Next
        | `C` | `z` | 1m | warning | not in the section |
        """);
    assertEquals(List.of("A", "B"), new ArrayList<>(rows.keySet()));
    assertEquals(new Alert("A", "sum(x{o=~\"a|b\"}) > 0", "0m", "warning"), rows.get("A"));
    assertEquals(new Alert("B", "y == 0", "5m", "critical"), rows.get("B"));
  }

  /** The rows of the table in the section "## Alerts": alert, PromQL, for, severity, why. */
  static Map<String, Alert> documented(String markdown) {
    Matcher heading = Pattern.compile("(?m)^## Alerts$").matcher(markdown);
    assertTrue(heading.find(), "a section \"## Alerts\"");
    int start = heading.end();
    int end = markdown.indexOf("\n## ", start);
    Map<String, Alert> rows = new LinkedHashMap<>();
    for (String line : markdown.substring(start, end < 0 ? markdown.length() : end).split("\n")) {
      if (line.startsWith("| `")) {
        List<String> cells = cells(line);
        String name = code(cells.get(0));
        Alert previous = rows.put(name, new Alert(name, AlertRules.normalized(code(cells.get(1))), cells.get(2), cells.get(3)));
        assertTrue(previous == null, name + " twice in the table");
      }
    }
    return rows;
  }

  /** A row's cells: split on the pipes that are not escaped ({@code \|} is a pipe inside a cell). */
  private static List<String> cells(String row) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 1; i < row.length(); i++) {
      char c = row.charAt(i);
      if (c == '\\' && i + 1 < row.length() && row.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(cell.toString().strip());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    return cells;
  }

  private static String code(String cell) {
    assertTrue(cell.startsWith("`") && cell.endsWith("`"), "a code span: " + cell);
    return cell.substring(1, cell.length() - 1);
  }
}
