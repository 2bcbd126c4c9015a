package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where Switchboard's own time goes during a phase, from the histograms each node exports at
 * /metrics: the Redis append (switchboard_store_latency_seconds{op="append"}) and append → written
 * to the recipient's socket (switchboard_delivery_latency_seconds, which includes the event-bus
 * hop). The difference between these and the end-to-end latency the clients see is spent outside
 * the two measured spans: reading the send, and in the kernel and the load generator.
 */
final class ServerTimings {

  static final String APPEND = "switchboard_store_latency_seconds_bucket{op=\"append\",";
  static final String DELIVERY = "switchboard_delivery_latency_seconds_bucket{";

  /** Cumulative bucket counts by upper bound (seconds), summed over every node. */
  private final Map<String, TreeMap<Double, Double>> buckets = new java.util.HashMap<>();

  static ServerTimings scrape(List<Servers.Server> nodes) {
    ServerTimings t = new ServerTimings();
    for (Servers.Server n : nodes) {
      String text = Procs.get(n.port(), "/metrics");
      if (text != null) {
        t.add(APPEND, text);
        t.add(DELIVERY, text);
      }
    }
    return t;
  }

  private void add(String prefix, String text) {
    TreeMap<Double, Double> b = buckets.computeIfAbsent(prefix, k -> new TreeMap<>());
    for (String line : text.split("\n")) {
      if (!line.startsWith(prefix)) {
        continue;
      }
      int le = line.indexOf("le=\"");
      if (le < 0) {
        continue;
      }
      String bound = line.substring(le + 4, line.indexOf('"', le + 4));
      double upper = bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
      b.merge(upper, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
    }
  }

  /** p50, p90 and p99 (upper bucket bounds, ms) of what was observed between {@code before} and this. */
  JsonObject since(ServerTimings before) {
    return new JsonObject()
        .put("appendMs", quantiles(APPEND, before))
        .put("deliveryMs", quantiles(DELIVERY, before));
  }

  private JsonObject quantiles(String prefix, ServerTimings before) {
    TreeMap<Double, Double> now = buckets.getOrDefault(prefix, new TreeMap<>());
    TreeMap<Double, Double> then = before.buckets.getOrDefault(prefix, new TreeMap<>());
    List<double[]> delta = new ArrayList<>();
    now.forEach((le, c) -> delta.add(new double[] {le, c - then.getOrDefault(le, 0.0)}));
    double total = delta.isEmpty() ? 0 : delta.get(delta.size() - 1)[1];
    JsonObject out = new JsonObject().put("count", (long) total);
    if (total <= 0) {
      return out;
    }
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      for (double[] d : delta) {
        if (d[1] >= q * total) {
          out.put("p" + (int) Math.round(q * 100), Double.isInfinite(d[0]) ? null : d[0] * 1000);
          break;
        }
      }
    }
    return out;
  }
}
