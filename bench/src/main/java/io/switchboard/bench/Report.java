package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a run's results: the table printed on stdout and in the page ({@link BenchmarksPage}), and the
 * targets judged from the figures ({@link Targets}). Nothing is typed by hand.
 */
final class Report {

  private final JsonObject r;
  private final List<String[]> rows = new ArrayList<>();

  Report(JsonObject results) {
    this.r = results;
    buildRows();
  }

  // ---------------------------------------------------------------- table

  JsonObject at(String scenario, String kind) {
    JsonObject s = r.getJsonObject(scenario);
    return s == null ? null : s.getJsonObject(kind);
  }

  private void buildRows() {
    JsonObject sb = at("idle", "sb");
    JsonObject sio = at("idle", "sio");
    if (sb != null || sio != null) {
      row("idle", "connections held (total)", num(sb, "connected"), num(sio, "connected"), null, "%.0f");
      row("idle", "RSS per connection (KiB)", kib(sb, "rssPerConnection"), kib(sio, "rssPerConnection"), null, "%.1f");
      row("idle", "heap per connection (KiB)", kib(sb, "heapPerConnection"), kib(sio, "heapPerConnection"), null, "%.1f");
      row("idle", "connect rate (conn/s)", num(sb, "connectRate"), num(sio, "connectRate"), null, "%.0f");
      row("idle", "handshake→welcome p99 (ms)", lat(sb, "handshakeMs", "p99"), lat(sio, "handshakeMs", "p99"), null, "%.1f");
    }
    JsonObject p2pSb = at("p2p", "sb");
    JsonObject p2pSio = at("p2p", "sio");
    JsonArray rates = firstNonNull(p2pSb, p2pSio);
    if (rates != null) {
      for (int i = 0; i < rates.size(); i++) {
        JsonObject a = rate(p2pSb, i);
        JsonObject b = rate(p2pSio, i);
        String s = "p2p " + fmtInt(rates.getJsonObject(i).getDouble("offered")) + "/s";
        row(s, "delivered msg/s", num(a, "deliveredPerSecond"), num(b, "deliveredPerSecond"), null, "%.0f");
        row(s, "latency p50 (ms)", lat(a, "latencyMs", "p50"), lat(b, "latencyMs", "p50"), null, "%.2f");
        row(s, "latency p99 (ms)", lat(a, "latencyMs", "p99"), lat(b, "latencyMs", "p99"), null, "%.2f");
        row(s, "latency p999 (ms)", lat(a, "latencyMs", "p999"), lat(b, "latencyMs", "p999"), null, "%.2f");
        JsonObject server = a == null ? null : a.getJsonObject("server");
        if (server != null) {
          rows.add(new String[] {s, "SB node: Redis append p50 / p99 (ms)", span(server, "appendMs"), "–", "–", "–", "–"});
          rows.add(new String[] {s, "SB node: append → recipient's socket p50 / p99 (ms)", span(server, "deliveryMs"), "–", "–", "–", "–"});
        }
        cpuRows(s, a, b, null);
        row(s, "sends refused (error answer)", num(a, "errors"), num(b, "errors"), null, "%.0f");
        row(s, "lost (of acked)", num(a, "lost"), num(b, "lost"), null, "%.0f");
      }
    }
    JsonObject fa = at("fanout", "sb");
    JsonObject fb = at("fanout", "sio");
    JsonObject fr = at("fanout", "raw");
    if (fa != null || fb != null || fr != null) {
      row("fan-out", "room members", num(fa, "members"), num(fb, "members"), num(fr, "members"), "%.0f");
      row("fan-out", "delivered msg/s", num(fa, "deliveredPerSecond"), num(fb, "deliveredPerSecond"), num(fr, "deliveredPerSecond"), "%.0f");
      row("fan-out", "latency p50 (ms)", lat(fa, "latencyMs", "p50"), lat(fb, "latencyMs", "p50"), lat(fr, "latencyMs", "p50"), "%.2f");
      row("fan-out", "latency p99 (ms)", lat(fa, "latencyMs", "p99"), lat(fb, "latencyMs", "p99"), lat(fr, "latencyMs", "p99"), "%.2f");
      row("fan-out", "latency p999 (ms)", lat(fa, "latencyMs", "p999"), lat(fb, "latencyMs", "p999"), lat(fr, "latencyMs", "p999"), "%.2f");
      cpuRows("fan-out", fa, fb, fr);
      row("fan-out", "lost", num(fa, "lost"), num(fb, "lost"), num(fr, "lost"), "%.0f");
    }
    connectRows();
    JsonObject sa = at("storm", "sb");
    JsonObject sc = at("storm", "sio");
    if (sa != null || sc != null) {
      row("storm", "clients on the killed node", num(sa, "clients"), num(sc, "clients"), null, "%.0f");
      row("storm", "reconnected on the other node", num(sa, "reconnected"), num(sc, "reconnected"), null, "%.0f");
      row("storm", "kill → last client resumed (s)", num(sa, "lastResumedSeconds"), num(sc, "lastResumedSeconds"), null, "%.2f");
      row("storm", "messages sent (acked)", num(sa, "acked"), num(sc, "acked"), null, "%.0f");
      row("storm", "messages lost", num(sa, "lost"), num(sc, "lost"), null, "%.0f");
      JsonObject hs = sa == null ? null : sa.getJsonObject("survivorHandshakes");
      if (hs != null) {
        row("storm", "survivor: hellos welcomed", num(hs, "welcomed"), null, null, "%.0f");
        double refused = 0;
        for (String outcome : hs.fieldNames()) {
          if (!outcome.equals("welcomed") && !outcome.equals("upgraded")) {
            refused += hs.getLong(outcome);
          }
        }
        // by outcome in the results' JSON (storm.sb.survivorHandshakes)
        row("storm", "survivor: handshakes refused or failed", refused, null, null, "%.0f");
      }
    }
  }

  /** Scenario 5's phases ({@link Connects}); Socket.IO has no resume, so "–" there. */
  private void connectRows() {
    JsonObject sb = at("connect", "sb");
    JsonObject sio = at("connect", "sio");
    if (sb == null && sio == null) {
      return;
    }
    JsonObject a = part(sb, "burst");
    JsonObject b = part(sio, "burst");
    JsonObject any = a != null ? a : b;
    if (any != null) {
      String s = "connect " + any.getInteger("clients") + ", " + any.getInteger("inFlight") + " in flight";
      row(s, "connected", num(a, "connected"), num(b, "connected"), null, "%.0f");
      row(s, "conn/s", num(a, "rate"), num(b, "rate"), null, "%.0f");
      row(s, "hello→welcome (SIO: connect→connected) p50 (ms)", lat(a, "helloMs", "p50"), lat(b, "helloMs", "p50"), null, "%.2f");
      row(s, "hello→welcome (SIO: connect→connected) p99 (ms)", lat(a, "helloMs", "p99"), lat(b, "helloMs", "p99"), null, "%.2f");
      row(s, "TCP open→welcome p99 (ms)", lat(a, "openMs", "p99"), lat(b, "openMs", "p99"), null, "%.2f");
      cpuPerConnectRows(s, a, b);
    }
    a = part(sb, "fixedRate");
    b = part(sio, "fixedRate");
    any = a != null ? a : b;
    if (any != null) {
      String s = "connect " + any.getInteger("offered") + "/s for " + any.getInteger("offeredSeconds") + " s";
      row(s, "achieved conn/s", num(a, "rate"), num(b, "rate"), null, "%.1f");
      for (String q : List.of("p50", "p99", "max")) {
        row(s, "scheduled→welcome " + q + " (ms)", lat(a, "scheduledMs", q), lat(b, "scheduledMs", q), null, "%.2f");
      }
      for (String q : List.of("p50", "p99", "max")) {
        row(s, "TCP open→welcome " + q + " (ms)", lat(a, "openMs", q), lat(b, "openMs", q), null, "%.2f");
      }
      cpuPerConnectRows(s, a, b);
    }
    a = part(sb, "resume");
    if (a != null) {
      String s = "resume, " + a.getInteger("rooms") + " rooms + user stream";
      row(s, "clients resumed (Socket.IO: no resume)", num(a, "resumed"), null, null, "%.0f");
      row(s, "resumes/s", num(a, "rate"), null, null, "%.0f");
      row(s, "hello→every stream resumed p50 (ms)", lat(a, "readyMs", "p50"), null, null, "%.2f");
      row(s, "hello→every stream resumed p99 (ms)", lat(a, "readyMs", "p99"), null, null, "%.2f");
      row(s, "CPU-ms per resume: cluster", cpuPerConnect(a, "cluster"), null, null, "%.3f");
    }
    scaleOutRows(part(sb, "scaleOut"), part(sio, "scaleOutReference"));
  }

  /** One line of each measure per cluster size; Socket.IO's two processes on the size that has as many. */
  private void scaleOutRows(JsonObject sb, JsonObject sioRef) {
    JsonArray sizes = sb == null ? new JsonArray() : sb.getJsonArray("sizes");
    JsonObject any = !sizes.isEmpty() ? sizes.getJsonObject(0) : sioRef;
    if (any == null) {
      return;
    }
    String s = "scale-out, " + any.getInteger("clients") + " to node 1, " + any.getInteger("inFlight") + " in flight";
    boolean shown = false;
    for (Object x : sizes) {
      JsonObject a = (JsonObject) x;
      int n = a.getInteger("nodes");
      JsonObject b = sioRef != null && sioRef.getInteger("processes") == n ? sioRef : null;
      shown |= b != null;
      scaleOutRow(s, n + (n == 1 ? " node" : " nodes") + (b != null ? " (SIO: " + n + " processes)" : ""), a, b);
    }
    if (!shown && sioRef != null) {
      scaleOutRow(s, "SIO reference, " + sioRef.getInteger("processes") + " processes", null, sioRef);
    }
    if (sb != null) {
      for (Object x : sb.getJsonArray("growth")) {
        JsonObject g = (JsonObject) x;
        rows.add(new String[] {s, "CPU-ms per connect, " + g.getInteger("from") + "→" + g.getInteger("to") + " nodes",
            String.format(Locale.ROOT, "%+.1f%%", g.getDouble("cpuPercent")), "–", "–", "–", "–"});
        if (g.containsKey("cpuLessJitPercent")) {
          rows.add(new String[] {s, "CPU-ms per connect less JIT compilers, " + g.getInteger("from") + "→" + g.getInteger("to")
              + " nodes", String.format(Locale.ROOT, "%+.1f%%", g.getDouble("cpuLessJitPercent")), "–", "–", "–", "–"});
        }
      }
    }
  }

  private void scaleOutRow(String s, String size, JsonObject a, JsonObject b) {
    row(s, size + ": CPU-ms per connect, cluster", cpuPerConnect(a, "cluster"), cpuPerConnect(b, "cluster"), null, "%.3f");
    row(s, size + ": CPU-ms per connect, cluster less JIT compilers", medianLessJit(a), null, null, "%.3f");
    row(s, size + ": conn/s", num(a, "rate"), num(b, "rate"), null, "%.0f");
    row(s, size + ": hello→welcome p99 (ms)", lat(a, "helloMs", "p99"), lat(b, "helloMs", "p99"), null, "%.2f");
  }

  /** The median over a scale-out size's bursts of the cluster's CPU per connect less the JIT compilers' part. */
  private static Double medianLessJit(JsonObject size) {
    JsonObject medians = size == null ? null : size.getJsonObject("medianMs");
    return medians == null ? null : medians.getDouble("clusterLessJit");
  }

  /** CPU-ms per connect of each role, less its idle rate (see {@link Connects}). */
  private void cpuPerConnectRows(String scenario, JsonObject sb, JsonObject sio) {
    row(scenario, "CPU-ms per connect: receiving process", cpuPerConnect(sb, "receiving"), cpuPerConnect(sio, "receiving"), null, "%.3f");
    row(scenario, "CPU-ms per connect: other process", cpuPerConnect(sb, "others"), cpuPerConnect(sio, "others"), null, "%.3f");
    row(scenario, "CPU-ms per connect: Redis", cpuPerConnect(sb, "redis"), cpuPerConnect(sio, "redis"), null, "%.3f");
    row(scenario, "CPU-ms per connect: cluster (the three above)", cpuPerConnect(sb, "cluster"), cpuPerConnect(sio, "cluster"), null, "%.3f");
    // parts of the two processes' figures: Hazelcast's threads (Socket.IO has none), then the JIT
    // compilers and the garbage collectors (high JIT: the phase ran code not yet compiled)
    for (CpuMeter.Threads t : CpuMeter.Threads.values()) {
      row(scenario, "CPU-ms per connect: receiving process, its " + t.label, cpuPerConnect(sb, "receiving" + t.key), null, null, "%.3f");
      row(scenario, "CPU-ms per connect: other process, their " + t.label, cpuPerConnect(sb, "others" + t.key), null, null, "%.3f");
    }
  }

  private static Double cpuPerConnect(JsonObject phase, String role) {
    JsonObject cpu = phase == null ? null : phase.getJsonObject("cpu");
    JsonObject per = cpu == null ? null : cpu.getJsonObject("perConnectMs");
    return per == null || per.getValue(role) == null ? null : per.getDouble(role);
  }

  private static JsonObject part(JsonObject scenario, String phase) {
    return scenario == null ? null : scenario.getJsonObject(phase);
  }

  private static JsonArray firstNonNull(JsonObject a, JsonObject b) {
    if (a != null) {
      return a.getJsonArray("rates");
    }
    return b == null ? null : b.getJsonArray("rates");
  }

  private static JsonObject rate(JsonObject p2p, int i) {
    if (p2p == null || p2p.getJsonArray("rates") == null || p2p.getJsonArray("rates").size() <= i) {
      return null;
    }
    return p2p.getJsonArray("rates").getJsonObject(i);
  }

  /** Where the machine's cores went during the phase: what bounds a rate when the machine is full. */
  private void cpuRows(String scenario, JsonObject sb, JsonObject sio, JsonObject raw) {
    if (cores(sb, "all") == null && cores(sio, "all") == null && cores(raw, "all") == null) {
      return;
    }
    row(scenario, "CPU cores used by the processes below", cores(sb, "all"), cores(sio, "all"), cores(raw, "all"), "%.2f");
    row(scenario, "CPU cores: server processes", cores(sb, null), cores(sio, null), cores(raw, null), "%.2f");
    row(scenario, "CPU cores: Redis", cores(sb, "redis"), cores(sio, "redis"), null, "%.2f");
    row(scenario, "CPU cores: load generator", cores(sb, "generator"), cores(sio, "generator"), cores(raw, "generator"), "%.2f");
  }

  /** Cores of one role in a phase, or with {@code role} null the sum of its server processes. */
  static Double cores(JsonObject phase, String role) {
    JsonObject c = phase == null ? null : phase.getJsonObject("cpuCores");
    if (c == null) {
      return null;
    }
    if (role != null) {
      return c.getValue(role) == null ? null : c.getDouble(role);
    }
    double servers = 0;
    for (String k : c.fieldNames()) {
      if (!List.of("redis", "generator", "all", "machineCores").contains(k)) {
        servers += c.getDouble(k);
      }
    }
    return servers;
  }

  private static Double num(JsonObject o, String key) {
    return o == null || o.getValue(key) == null ? null : o.getDouble(key);
  }

  private static Double kib(JsonObject o, String key) {
    Double v = num(o, key);
    return v == null ? null : v / 1024;
  }

  private static Double lat(JsonObject o, String key, String q) {
    return o == null || o.getJsonObject(key) == null ? null : o.getJsonObject(key).getDouble(q);
  }

  private void row(String scenario, String metric, Double sb, Double sio, Double raw, String fmt) {
    if (sb == null && sio == null && raw == null) {
      return; // measured by none of them (a figure results of older runs do not hold)
    }
    rows.add(new String[] {scenario, metric, f(sb, fmt), f(sio, fmt), f(raw, fmt), ratio(sb, sio), ratio(sb, raw)});
  }

  /** "p50 / p99" of a span measured by the nodes' own histograms (bucket upper bounds). */
  private static String span(JsonObject server, String key) {
    JsonObject q = server.getJsonObject(key);
    if (q == null || q.getValue("p50") == null) {
      return "–";
    }
    return f(q.getDouble("p50"), "%.2f") + " / " + f(q.getDouble("p99"), "%.2f");
  }

  private static String f(Double v, String fmt) {
    return v == null ? "–" : String.format(Locale.ROOT, fmt, v);
  }

  private static String ratio(Double a, Double b) {
    // a CPU figure less idle can come out at or below zero where a process did nothing: no ratio then
    if (a == null || b == null || b <= 0 || a < 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f", a / b);
  }

  static String fmtInt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static final String[] HEADER = {"scenario", "metric", "Switchboard", "Socket.IO", "raw", "SB/SIO", "SB/raw"};

  String table() {
    int[] w = new int[HEADER.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = HEADER[i].length();
      for (String[] row : rows) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    appendRow(sb, HEADER, w);
    for (String[] row : rows) {
      appendRow(sb, row, w);
    }
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] row, int[] w) {
    for (int i = 0; i < row.length; i++) {
      sb.append(String.format(Locale.ROOT, i < 2 ? "%-" + w[i] + "s  " : "%" + w[i] + "s  ", row[i]));
    }
    sb.append('\n');
  }

  String markdownTable() {
    StringBuilder sb = new StringBuilder("| " + String.join(" | ", HEADER) + " |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (String[] row : rows) {
      sb.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- targets

  /** Every target judged from this run's figures ({@link Targets}). */
  JsonArray targets() {
    return new Targets(this).all();
  }

  /** Where a run's sizes or durations are below the issue's (sizes) or the defaults (durations), said in the document. */
  static JsonArray reductions(JsonObject options) {
    JsonArray out = new JsonArray();
    BenchOptions issue = new BenchOptions();
    if (options.getInteger("idlePerProcess") < issue.idlePerProcess) {
      out.add("idle connections per process: " + options.getInteger("idlePerProcess") + " (issue: " + issue.idlePerProcess + ")");
    }
    if (!options.getJsonArray("p2pRates").getList().containsAll(List.of(5_000, 20_000, 50_000))) {
      out.add("point-to-point rates: " + options.getJsonArray("p2pRates").encode() + " (issue: [5000,20000,50000])");
    }
    if (options.getInteger("fanoutMembers") < issue.fanoutMembers) {
      out.add("fan-out room members: " + options.getInteger("fanoutMembers") + " (issue: " + issue.fanoutMembers + ")");
    }
    if (options.getInteger("stormClients") < issue.stormClients) {
      out.add("reconnect-storm clients: " + options.getInteger("stormClients") + " (issue: " + issue.stormClients + ")");
    }
    if (options.getJsonArray("scenarios", new JsonArray()).contains("connect")) {
      if (options.getInteger("connectClients") < issue.connectClients || options.getInteger("scaleClients") < issue.scaleClients) {
        out.add("connect scenario: " + options.getInteger("connectClients") + " clients, scale-out " + options.getInteger("scaleClients")
            + " (default: " + issue.connectClients + ", " + issue.scaleClients + ")");
      }
      JsonArray phases = options.getJsonArray("connectPhases");
      if (phases != null && phases.size() < BenchOptions.CONNECT_PHASES.size()) {
        out.add("connect scenario phases: " + phases.encode() + " (default: all)");
      }
      if (options.getInteger("connectSeconds") < issue.connectSeconds) {
        out.add("open-loop connects for " + options.getInteger("connectSeconds") + " s (default: " + issue.connectSeconds + ")");
      }
      if (!options.getJsonArray("nodes").getList().containsAll(issue.nodes)) {
        out.add("scale-out cluster sizes: " + options.getJsonArray("nodes").encode() + " (default: " + issue.nodes + ")");
      }
    }
    if (options.getInteger("p2pSeconds") < issue.p2pSeconds || options.getInteger("fanoutSeconds") < issue.fanoutSeconds) {
      out.add("phases of " + options.getInteger("p2pSeconds") + " s (point-to-point) and " + options.getInteger("fanoutSeconds")
          + " s (fan-out) instead of the default " + issue.p2pSeconds + " s, to keep the whole run short on the shared machine");
    }
    return out;
  }
}
