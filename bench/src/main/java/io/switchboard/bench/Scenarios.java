package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The five scenarios of docs/benchmarks.md (the fifth in {@link Connects}), each run against one
 * server kind at a time with the same client code: "sb" (two Switchboard nodes), "sio" (two
 * Socket.IO processes), "raw" (fan-out only).
 */
final class Scenarios {

  private static final long DRAIN_IDLE_MS = 10_000;
  private static final long DRAIN_MAX_MS = 180_000;
  private static final long STORM_MAX_MS = 120_000;
  private static final long SETTLE_MS = 3_000;

  private final BenchOptions o;
  private final Servers servers;
  private final WorkerPool workers;
  private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  Scenarios(BenchOptions o, Servers servers, WorkerPool workers) {
    this.o = o;
    this.servers = servers;
    this.workers = workers;
  }

  List<Servers.Server> processes(String kind) {
    return switch (kind) {
      case "sb" -> servers.switchboard;
      case "sio" -> servers.socketio;
      default -> List.of(servers.raw);
    };
  }

  private static Proto proto(String kind) {
    return Proto.of(kind);
  }

  // ---------------------------------------------------------------- scenario 1

  JsonObject idle(String kind) {
    List<Servers.Server> ps = processes(kind);
    warmUpConnections(kind, ps);
    List<JsonObject> before = new ArrayList<>();
    for (Servers.Server s : ps) {
      before.add(memory(kind, s));
    }
    Path[] dumps = heapDumpPaths(kind);
    if (dumps != null) {
      heapDump(ps.get(0), dumps[0]);
    }
    JsonObject result = new JsonObject().put("connectionsPerProcess", o.idlePerProcess).put("processes", ps.size());
    Histogram hs = new Histogram();
    long connected = 0;
    long elapsed = 0;
    long start = System.nanoTime();
    for (int i = 0; i < ps.size(); i++) {
      JsonObject c = connect(kind, ps.get(i), "idle" + i, "idle-" + kind + run + "-" + i + "-", 0, o.idlePerProcess, null);
      hs.merge(Histogram.fromJson(c.getJsonArray("handshake")));
      connected += c.getLong("connected");
    }
    elapsed = (System.nanoTime() - start) / 1_000_000;
    Procs.sleep(SETTLE_MS);
    JsonArray perProcess = new JsonArray();
    double rssSum = 0;
    double heapSum = 0;
    for (int i = 0; i < ps.size(); i++) {
      JsonObject after = memory(kind, ps.get(i));
      double rss = (after.getLong("rss") - before.get(i).getLong("rss")) / (double) o.idlePerProcess;
      double heap = (after.getLong("heap") - before.get(i).getLong("heap")) / (double) o.idlePerProcess;
      rssSum += rss;
      heapSum += heap;
      perProcess.add(new JsonObject().put("process", ps.get(i).name()).put("before", before.get(i)).put("after", after)
          .put("rssPerConnection", rss).put("heapPerConnection", heap));
    }
    if (dumps != null) {
      heapDump(ps.get(0), dumps[1]);
    }
    JsonObject open = stats(false);
    for (int i = 0; i < ps.size(); i++) {
      close("idle" + i);
    }
    if (dumps != null) {
      result.put("heapOwners", heapOwners(dumps));
    }
    if (kind.equals("sb")) {
      // the first node's; the others hold the same kind of state
      JsonObject first = perProcess.getJsonObject(0);
      result.put("heapBreakdown", HeapBreakdown.of(first.getJsonObject("before").getString("classHistogram"),
          first.getJsonObject("after").getString("classHistogram"), o.idlePerProcess));
      for (Object p : perProcess) {
        // the histograms are long: the breakdown is what the report needs
        ((JsonObject) p).getJsonObject("before").remove("classHistogram");
        ((JsonObject) p).getJsonObject("after").remove("classHistogram");
      }
    }
    return result.put("connected", connected).put("openAtMeasure", open.getLong("open"))
        .put("failed", (long) o.idlePerProcess * ps.size() - connected)
        .put("connectSeconds", elapsed / 1000.0).put("connectRate", connected * 1000.0 / Math.max(1, elapsed))
        .put("handshakeMs", hs.summaryMs())
        .put("rssPerConnection", rssSum / ps.size()).put("heapPerConnection", heapSum / ps.size())
        .put("perProcess", perProcess);
  }

  /**
   * Connects and closes a first batch on every process before the baseline is taken: the first
   * connections of a fresh process pay for compiling their code and for the allocator's pools (the
   * JVM's JIT and glibc arenas, V8's likewise), a one-off cost that is not the cost of a connection.
   */
  private void warmUpConnections(String kind, List<Servers.Server> ps) {
    warmUpConnectionsOnly(kind, ps);
    if (o.idleWarmup > 0) {
      Procs.sleep(SETTLE_MS);
    }
  }

  /** The same without waiting after, for a caller that waits for the processes to be quiet itself. */
  void warmUpConnectionsOnly(String kind, List<Servers.Server> ps) {
    for (int i = 0; i < ps.size() && o.idleWarmup > 0; i++) {
      connect(kind, ps.get(i), "idlewarm" + i, "idlewarm-" + kind + run + "-" + i + "-", 0, o.idleWarmup, null);
      close("idlewarm" + i);
    }
  }

  /** RSS and heap after a full GC (jcmd for the JVM, global.gc() behind /stats for Node.js). */
  private JsonObject memory(String kind, Servers.Server s) {
    long heap = -1;
    String nmt = null;
    String histogram = null;
    if (kind.equals("sb")) {
      runQuietly(List.of("jcmd", String.valueOf(s.pid()), "GC.run"));
      heap = prometheusSum(Procs.get(s.port(), "/metrics"), "jvm_memory_used_bytes{area=\"heap\"");
      if (o.nodeJvm.contains("NativeMemoryTracking")) {
        // where the JVM's memory goes, by area, when the node runs with native memory tracking on
        nmt = runCapturing(List.of("jcmd", String.valueOf(s.pid()), "VM.native_memory", "summary", "scale=KB"));
      }
      // right after the full GC above: only what is reachable
      histogram = runCapturing(List.of("jcmd", String.valueOf(s.pid()), "GC.class_histogram"));
    } else if (kind.equals("sio")) {
      String stats = Procs.get(s.port(), "/stats");
      heap = stats == null ? -1 : new JsonObject(stats).getLong("heapUsed");
    }
    JsonObject m = new JsonObject().put("rss", Procs.rss(s.pid())).put("heap", heap);
    if (histogram != null) {
      m.put("classHistogram", histogram);
    }
    return nmt == null ? m : m.put("nativeMemory", nmt);
  }

  /** before and after dump files of the first Switchboard node, unless --heap-dumps none */
  private Path[] heapDumpPaths(String kind) {
    if (o.noHeapDumps || !kind.equals("sb")) {
      return null;
    }
    Path dir = o.heapDumps != null ? o.heapDumps : o.out.resolve("heap-dumps");
    return new Path[] {dir.resolve("sb-idle-before.hprof").toAbsolutePath(), dir.resolve("sb-idle-after.hprof").toAbsolutePath()};
  }

  private static void heapDump(Servers.Server s, Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // live objects only: jcmd runs a full GC first
    runQuietly(List.of("jcmd", String.valueOf(s.pid()), "GC.heap_dump", file.toString()));
  }

  /** Parsing a dump takes more heap than the coordinator has: a JVM of its own. */
  private JsonObject heapOwners(Path[] dumps) {
    String java = ProcessHandle.current().info().command().orElse("java");
    String out = runCapturing(List.of(java, "-Xmx8g", "-cp", System.getProperty("java.class.path"),
        Bench.class.getName(), "heap-owners", dumps[0].toString(), dumps[1].toString(), String.valueOf(o.idlePerProcess)));
    try {
      return new JsonObject(out.substring(out.indexOf('{')));
    } catch (RuntimeException e) {
      return new JsonObject().put("error", String.valueOf(out));
    }
  }

  /**
   * The increase of a counter between two scrapes, per value of one label: {@code {"welcomed": 9800,
   * "failed": 412}}. Labels that did not move are left out; null when a scrape failed.
   */
  static JsonObject countsByLabel(String after, String before, String prefix, String label) {
    if (after == null || before == null) {
      return null;
    }
    Map<String, Double> was = byLabel(before, prefix, label);
    JsonObject out = new JsonObject();
    byLabel(after, prefix, label).forEach((value, n) -> {
      long moved = Math.round(n - was.getOrDefault(value, 0.0));
      if (moved != 0) {
        out.put(value, moved);
      }
    });
    return out;
  }

  private static Map<String, Double> byLabel(String text, String prefix, String label) {
    Map<String, Double> out = new TreeMap<>();
    String key = label + "=\"";
    for (String line : text.split("\n")) {
      int at = line.indexOf(key);
      if (line.startsWith(prefix) && at >= 0) {
        String value = line.substring(at + key.length(), line.indexOf('"', at + key.length()));
        out.merge(value, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    return out;
  }

  static long prometheusSum(String text, String prefix) {
    if (text == null) {
      return -1;
    }
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  private static String runCapturing(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      return p.waitFor(60, TimeUnit.SECONDS) ? out : null;
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }

  private static void runQuietly(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (Exception e) {
      // memory is then measured without a GC first
    }
  }

  // ---------------------------------------------------------------- scenario 2

  /** Whose CPU a phase is charged to: each server process of the kind, Redis when it uses it, the generator. */
  private Map<String, List<Long>> cpuRoles(String kind) {
    return CpuMeter.roles(processes(kind), kind.equals("raw") ? null : servers.redis, workers.pids());
  }

  JsonObject pointToPoint(String kind) {
    List<Servers.Server> ps = processes(kind);
    String recipients = "p2p-" + kind + run + "-r";
    String senders = "p2p-" + kind + run + "-s";
    JsonObject r = connect(kind, ps.get(1), "p2p-r", recipients, 0, o.p2pRecipients, null);
    JsonObject s = connect(kind, ps.get(0), "p2p-s", senders, 0, o.p2pSenders, null);
    JsonArray to = new JsonArray();
    for (int i = 0; i < o.p2pRecipients; i++) {
      to.add("user:" + recipients + i);
    }
    warmUp(kind, "p2p-s", to, o.p2pRates.get(0) / (double) workers.size(), -1, 1);
    JsonArray rates = new JsonArray();
    for (int rate : o.p2pRates) {
      stats(true);
      ServerTimings before = kind.equals("sb") ? ServerTimings.scrape(ps) : null;
      CpuMeter cpu = CpuMeter.start(cpuRoles(kind));
      long start = System.nanoTime();
      List<JsonObject> sent = workers.each(w -> new JsonObject().put("cmd", "send").put("group", "p2p-s").put("to", to)
          .put("rate", rate / (double) workers.size()).put("durationMs", o.p2pSeconds * 1000L));
      long acked = sum(sent, "acked");
      JsonObject st = drain(acked, kind.equals("sb"));
      JsonObject result = deliveryResult(rate, start, sent, st, acked, o.p2pSeconds).put("cpuCores", cpu.stop());
      if (before != null) {
        result.put("server", ServerTimings.scrape(ps).since(before));
      }
      rates.add(result);
    }
    close("p2p-r");
    close("p2p-s");
    return new JsonObject().put("recipients", r.getLong("connected")).put("senders", s.getLong("connected"))
        .put("seconds", o.p2pSeconds).put("rates", rates);
  }

  private static JsonObject deliveryResult(double offered, long start, List<JsonObject> sent, JsonObject st, long expected, int seconds) {
    long received = st.getLong("unique");
    double window = Math.max(seconds, (st.getLong("lastRecvNs") - start) / 1e9);
    return new JsonObject().put("offered", offered).put("sent", sum(sent, "sent")).put("acked", sum(sent, "acked"))
        .put("errors", sum(sent, "errors")).put("expected", expected).put("received", received)
        .put("duplicates", st.getLong("duplicates")).put("lost", Math.max(0, expected - received))
        .put("deliveredPerSecond", received / window)
        .put("latencyMs", Histogram.fromJson(st.getJsonArray("latency")).summaryMs());
  }

  // ---------------------------------------------------------------- scenario 3

  JsonObject fanout(String kind) {
    List<Servers.Server> ps = processes(kind);
    String room = "fan" + run;
    String prefix = "fan-" + kind + run + "-";
    long members = 0;
    int per = o.fanoutMembers / ps.size();
    for (int i = 0; i < ps.size(); i++) {
      int from = i * per;
      int to = i == ps.size() - 1 ? o.fanoutMembers : from + per;
      members += connect(kind, ps.get(i), "fan" + i, prefix, from, to, room).getLong("connected");
    }
    warmUp(kind, "fan0", new JsonArray().add("room:" + room), o.fanoutRate, 0, members);
    stats(true);
    CpuMeter cpu = CpuMeter.start(cpuRoles(kind));
    long start = System.nanoTime();
    // one publisher: the first member on the first process
    JsonObject pub = workers.request(0, new JsonObject().put("cmd", "send").put("group", "fan0")
        .put("to", new JsonArray().add("room:" + room)).put("senders", 1).put("rate", (double) o.fanoutRate)
        .put("durationMs", o.fanoutSeconds * 1000L)).join();
    check(pub);
    long published = kind.equals("sb") ? pub.getLong("acked") : pub.getLong("sent");
    long expected = published * members;
    JsonObject st = drain(expected, false);
    JsonObject cores = cpu.stop();
    for (int i = 0; i < ps.size(); i++) {
      close("fan" + i);
    }
    return deliveryResult(o.fanoutRate, start, List.of(pub), st, expected, o.fanoutSeconds).put("cpuCores", cores)
        .put("members", members).put("published", published).put("publishRate", o.fanoutRate);
  }

  // ---------------------------------------------------------------- scenario 4

  JsonObject storm(String kind) {
    List<Servers.Server> ps = processes(kind);
    Servers.Server victim = ps.get(0);
    Servers.Server survivor = ps.get(1);
    String prefix = "storm-" + kind + run + "-";
    // the survivor of a real failover has run for a while: what is measured is its resumes, not its compiling
    JsonObject warm = new JitWarmUp(o, this).run(kind, survivor, ps);
    long clients = connect(kind, victim, "storm", prefix, 0, o.stormClients, null).getLong("connected");
    int senderCount = Math.min(10 * workers.size(), 100);
    connect(kind, survivor, "storm-s", prefix + "s", 0, senderCount, null);
    workers.each(w -> new JsonObject().put("cmd", "failover").put("group", "storm").put("host", "127.0.0.1")
        .put("port", survivor.port()).put("jitterMs", 1000));
    JsonArray to = new JsonArray();
    for (int i = 0; i < o.stormClients; i++) {
      to.add("user:" + prefix + i);
    }
    stats(true);
    List<CompletableFuture<JsonObject>> sending = new ArrayList<>();
    for (int w = 0; w < workers.size(); w++) {
      sending.add(workers.request(w, new JsonObject().put("cmd", "send").put("group", "storm-s").put("to", to)
          .put("rate", o.stormRate / (double) workers.size()).put("durationMs", STORM_MAX_MS + 60_000)));
    }
    Procs.sleep(2_000);
    String survivorBefore = kind.equals("sb") ? Procs.get(survivor.port(), "/metrics") : null;
    long killedAt = System.nanoTime();
    Procs.kill(victim.process());
    long deadline = killedAt + TimeUnit.MILLISECONDS.toNanos(STORM_MAX_MS);
    JsonObject st = stats(false);
    while (st.getLong("reconnected") < clients && System.nanoTime() < deadline) {
      Procs.sleep(200);
      st = stats(false);
    }
    long reconnected = st.getLong("reconnected");
    double resumeSeconds = reconnected == 0 ? -1 : (st.getLong("lastReconnectNs") - killedAt) / 1e9;
    // what the survivor made of the storm's hellos: welcomed, or refused (and retried by the clients)
    JsonObject survivorHandshakes = survivorBefore == null ? null
        : countsByLabel(Procs.get(survivor.port(), "/metrics"), survivorBefore, "switchboard_handshakes_total{", "outcome");
    Procs.sleep(2_000); // live traffic after the storm, to the clients on their new node
    workers.each(w -> new JsonObject().put("cmd", "stopSend").put("group", "storm-s"));
    List<JsonObject> sent = sending.stream().map(CompletableFuture::join).toList();
    sent.forEach(Scenarios::check);
    long acked = sum(sent, "acked");
    st = drain(acked, kind.equals("sb"));
    close("storm");
    close("storm-s");
    return new JsonObject().put("clients", clients).put("reconnected", reconnected)
        .put("reconnectFailures", st.getLong("reconnectFailures"))
        .put("allResumedSeconds", reconnected >= clients ? resumeSeconds : -1)
        .put("lastResumedSeconds", resumeSeconds)
        .put("sent", sum(sent, "sent")).put("acked", acked).put("errors", sum(sent, "errors"))
        .put("received", st.getLong("unique")).put("duplicates", st.getLong("duplicates"))
        .put("lost", Math.max(0, acked - st.getLong("unique"))).put("warmUp", warm)
        .put("survivorHandshakes", survivorHandshakes);
  }

  // ---------------------------------------------------------------- scenario 5

  /** How fast connections are made and what each costs: see {@link Connects}. */
  JsonObject connects(String kind) {
    return new Connects(o, this, servers, workers, run).run(kind);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * One second of the scenario's traffic, not measured, so that no server is measured with a cold
   * JIT. {@code onlyWorker} >= 0 sends from that worker's first client alone (the fan-out's one
   * publisher); each message arrives {@code copies} times.
   */
  private void warmUp(String kind, String group, JsonArray to, double rate, int onlyWorker, long copies) {
    stats(true);
    List<JsonObject> sent = workers.each(w -> onlyWorker >= 0 && w != onlyWorker ? null
        : new JsonObject().put("cmd", "send").put("group", group).put("to", to).put("rate", rate)
            .put("durationMs", o.warmupSeconds * 1000L).put("senders", onlyWorker >= 0 ? 1 : Integer.MAX_VALUE));
    long n = kind.equals("sb") ? sum(sent, "acked") : sum(sent, "sent");
    drain(n * copies, false);
  }

  /** Opens users prefix+from .. prefix+(to-1) on one server, spread over every worker, each from its own source address. */
  private JsonObject connect(String kind, Servers.Server server, String group, String prefix, int from, int to, String room) {
    return connect(kind, server, group, prefix, from, to, room == null ? new JsonObject() : new JsonObject().put("room", room),
        o.connectConcurrency);
  }

  /**
   * The same with {@code extra} in each worker's command (a room, rooms per client) and {@code inFlight}
   * handshakes at once in all; or, when {@code extra} has a "rate" (connects per second in all),
   * paced at that rate instead, each worker its share. Answers the counts, the histograms of every
   * worker merged (see {@link ConnectBatch}), the first start and the last ready instant.
   */
  JsonObject connect(String kind, Servers.Server server, String group, String prefix, int from, int to, JsonObject extra, int inFlight) {
    int n = workers.size();
    int total = to - from;
    Double rate = extra.getDouble("rate");
    // 20 ms a connect, and a join (one after the other) as much again; a paced batch takes its time at its rate
    long timeout = 60_000 + (rate == null ? total * 20L * (1 + extra.getInteger("rooms", 0)) : (long) (total * 1000 / rate));
    List<JsonObject> answers = workers.each(w -> {
      int a = from + (int) ((long) total * w / n);
      int b = from + (int) ((long) total * (w + 1) / n);
      JsonObject c = extra.copy().put("cmd", "connect").put("group", group).put("proto", proto(kind).name())
          .put("host", "127.0.0.1").put("port", server.port()).put("local", workers.nextLocal())
          .put("prefix", prefix).put("from", a).put("to", b).put("concurrency", Math.max(1, inFlight / n))
          .put("timeoutMs", timeout);
      if (rate != null) {
        c.put("rate", rate * (b - a) / Math.max(1, total));
      }
      return c;
    });
    JsonObject merged = merge(answers);
    if (merged.getLong("connected") < total) {
      System.err.printf("[bench] %s on %s: %d of %d connected%n", group, server.name(), merged.getLong("connected"), total);
    }
    return merged;
  }

  /** {group}: reconnects every client of the group (closed by {@link #disconnect}) resuming all it kept, {@code inFlight} at once in all. */
  JsonObject resume(Servers.Server server, String group, int clients, int inFlight) {
    // a resume of many streams costs several connects
    long timeout = 60_000 + clients * 50L;
    JsonObject merged = merge(workers.each(w -> new JsonObject().put("cmd", "resume").put("group", group).put("host", "127.0.0.1")
        .put("port", server.port()).put("concurrency", Math.max(1, inFlight / workers.size())).put("timeoutMs", timeout)));
    if (merged.getLong("connected") < clients) {
      System.err.printf("[bench] %s on %s: %d of %d resumed%n", group, server.name(), merged.getLong("connected"), clients);
    }
    return merged;
  }

  /** Closes the group's sockets, keeping its clients and their positions. */
  void disconnect(String group) {
    workers.each(w -> new JsonObject().put("cmd", "disconnect").put("group", group));
  }

  /** Every worker's connect answer added up: counts summed, histograms merged, the first start and the last ready. */
  private static JsonObject merge(List<JsonObject> answers) {
    JsonObject out = new JsonObject().put("connected", sum(answers, "connected")).put("failed", sum(answers, "failed"));
    long elapsed = 0;
    long start = Long.MAX_VALUE;
    long lastReady = 0;
    for (JsonObject a : answers) {
      elapsed = Math.max(elapsed, a.getLong("elapsedMs"));
      start = Math.min(start, a.getLong("startNs"));
      lastReady = Math.max(lastReady, a.getLong("lastReadyNs"));
    }
    for (String h : List.of("handshake", "hello", "helloReady", "scheduled", "lag")) {
      Histogram merged = new Histogram();
      answers.forEach(a -> merged.merge(Histogram.fromJson(a.getJsonArray(h))));
      out.put(h, merged.toJson());
    }
    return out.put("elapsedMs", elapsed).put("startNs", start).put("lastReadyNs", lastReady);
  }

  void close(String group) {
    workers.each(w -> new JsonObject().put("cmd", "close").put("group", group));
  }

  /** Every worker's counters added up (histograms merged). */
  JsonObject stats(boolean reset) {
    List<JsonObject> all = workers.each(w -> new JsonObject().put("cmd", "stats").put("reset", reset));
    JsonObject sum = new JsonObject();
    Histogram h = new Histogram();
    for (String k : List.of("received", "unique", "duplicates", "sent", "acked", "errors", "closes", "reconnected", "reconnectFailures", "open")) {
      sum.put(k, sum(all, k));
    }
    long first = Long.MAX_VALUE;
    long last = 0;
    long lastReconnect = 0;
    for (JsonObject s : all) {
      h.merge(Histogram.fromJson(s.getJsonArray("latency")));
      if (s.getLong("firstRecvNs") > 0) {
        first = Math.min(first, s.getLong("firstRecvNs"));
      }
      last = Math.max(last, s.getLong("lastRecvNs"));
      lastReconnect = Math.max(lastReconnect, s.getLong("lastReconnectNs"));
    }
    return sum.put("firstRecvNs", first == Long.MAX_VALUE ? 0 : first).put("lastRecvNs", last)
        .put("lastReconnectNs", lastReconnect).put("latency", h.toJson());
  }

  /** Waits until `expected` messages arrived, or nothing arrived for a while, or an overall bound. */
  private JsonObject drain(long expected, boolean unique) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MAX_MS);
    JsonObject st = stats(false);
    long lastCount = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long got = st.getLong(unique ? "unique" : "received");
      if (got >= expected) {
        break;
      }
      if (got != lastCount) {
        lastCount = got;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(DRAIN_IDLE_MS)) {
        break;
      }
      Procs.sleep(100);
      st = stats(false);
    }
    return st;
  }

  private static long sum(List<JsonObject> list, String key) {
    long n = 0;
    for (JsonObject j : list) {
      n += j.getLong(key, 0L);
    }
    return n;
  }

  private static void check(JsonObject answer) {
    if (answer.containsKey("error")) {
      throw new IllegalStateException("worker: " + answer.getString("error"));
    }
  }
}
