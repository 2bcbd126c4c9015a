package io.switchboard.metrics;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.switchboard.metrics.PromQl.metricNames;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The metric names of an expression, and nothing else: no functions, labels, keywords, durations or variables. */
class PromQlTest {

  @Test
  void functionsLabelMatchersRangesAndGrafanaVariablesAreNotMetrics() {
    assertEquals(Set.of("a_bucket"), metricNames(
        "histogram_quantile(0.99, sum by (le, op) (rate(a_bucket{instance=~\"$instance\",x=\"y}\"}[$__rate_interval])))"));
    assertEquals(Set.of("a_bucket"), metricNames("histogram_quantile(0.5, sum(rate(a_bucket[${__range}])) by (le))"));
    assertEquals(Set.of("v"), metricNames("sum(rate(v{job=~\"[[job]]\"}[5m:30s]))"));
  }

  @Test
  void operatorsModifiersAndKeywordsAreNotMetrics() {
    assertEquals(Set.of("a_total", "b"), metricNames("sum(rate(a_total[5m])) / clamp_min(max without (pod) (b), 1e-9) > 0.5"));
    assertEquals(Set.of("x", "y"), metricNames("x / on (instance) group_left (version) y"));
    assertEquals(Set.of("a", "bytes_total"), metricNames("a or bytes_total"));
    assertEquals(Set.of("x", "y"), metricNames("x > bool ignoring(job) y and x unless y or x"));
    assertEquals(Set.of("x", "y"), metricNames("x offset 1h30m - y @ start() > Inf"));
    assertEquals(Set.of("up"), metricNames("count(up{job=\"switchboard\"} == 1) < 3"));
    assertEquals(Set.of("m"), metricNames("m + 0x1e + 2.5e+3 * NaN"));
    assertEquals(Set.of("a", "b"), metricNames("a == 0 or b{c=\"x\"} == 0  # and not_a_metric"));
  }

  @Test
  void stringsAreNotMetrics() {
    assertEquals(Set.of("m"), metricNames("label_replace(m, \"dst\", \"$1\", \"src\", \"(not_a_metric.*)\")"));
    assertEquals(Set.of("m"), metricNames("count_values('value', m)"));
  }

  @Test
  void grafanaLabelValuesReadsOnlyItsMetric() {
    assertEquals(Set.of("c"), metricNames("label_values(c, instance)"));
    assertEquals(Set.of("c"), metricNames("label_values(c{a=\"1,2\"}, instance)"));
    assertEquals(Set.of(), metricNames("label_values(instance)"));
  }
}
