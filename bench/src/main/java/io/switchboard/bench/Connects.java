package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Scenario 5 (issue 13): how fast a node takes connections and what each costs, every phase against
 * the first process of the kind while the others run beside it. 1. --burst-repeats bursts of
 * --connect-clients, --connect-concurrency in flight, the median one reported; 2. --connect-rate
 * per second for --connect-seconds, open loop; 3. (Switchboard) every client of a burst, a member
 * of --resume-rooms rooms, reconnects resuming them all; 4. in each, every process's CPU per
 * connect less its idle rate; 5. (Switchboard) the burst against fresh clusters of each size of
 * --nodes, Socket.IO's two processes for reference. They run in the order 1, 2, 5, 3. Each phase closes its clients before the next; a phase that
 * fails is reported, the next ones run.
 */
final class Connects {

  /** After the last welcome, before the CPU is read: the work a connect leaves behind (cursors, presence) is part of its cost. */
  private static final long TRAIL_MS = 1_000;
  /** A process using less than this (a tenth of a core) is idle enough to take its idle rate. */
  private static final double QUIET_MS_PER_SECOND = 100;
  private static final long QUIET_WAIT_MS = 60_000;

  private final BenchOptions o;
  private final Scenarios s;
  private final Servers servers;
  private final WorkerPool workers;
  private final String run;

  Connects(BenchOptions o, Scenarios s, Servers servers, WorkerPool workers, String run) {
    this.o = o;
    this.s = s;
    this.servers = servers;
    this.workers = workers;
    this.run = run;
  }

  JsonObject run(String kind) {
    List<Servers.Server> ps = s.processes(kind);
    String prefix = "conn-" + kind + run + "-";
    JsonObject r = new JsonObject();
    JsonObject errors = new JsonObject();
    Set<String> phases = o.connectPhases;
    boolean sb = kind.equals("sb");
    // Switchboard's scale-out starts clusters of its own; everything else runs on these processes
    if (phases.contains("burst") || phases.contains("rate") || phases.contains("resume") && sb
        || phases.contains("scale") && !sb) {
      r.put("warmUp", warmUp(kind, ps));
    }
    if (phases.contains("burst")) {
      phase(r, errors, "burst", () -> repeatedBurst(kind, ps, prefix + "b"));
    }
    if (phases.contains("rate")) {
      phase(r, errors, "fixedRate", () -> fixedRate(kind, ps, prefix + "r"));
    }
    if (sb) {
      // the resume goes last: a node that did not keep up with it stays busy long after
      if (phases.contains("scale")) {
        phase(r, errors, "scaleOut", () -> scaleOut(prefix + "s"));
      }
      if (phases.contains("resume")) {
        phase(r, errors, "resume", () -> resume(ps, prefix + "m"));
      }
    } else if (phases.contains("scale")) {
      // beside Switchboard's scale-out: its own two processes and the Redis adapter, as they are
      phase(r, errors, "scaleOutReference", () -> burst(kind, "scale-out reference (" + ps.size() + " processes)", ps,
          servers.redis, prefix + "s", o.scaleClients, o.scaleConcurrency).put("processes", ps.size()));
    }
    // the next scenario or server kind starts once these processes are done with the closes
    awaitQuiet(CpuMeter.roles(ps, servers.redis, workers.pids()));
    return errors.isEmpty() ? r : r.put("failedPhases", errors);
  }

  private static void phase(JsonObject r, JsonObject errors, String name, Supplier<JsonObject> step) {
    try {
      r.put(name, step.get());
    } catch (RuntimeException e) {
      e.printStackTrace();
      errors.put(name, String.valueOf(e.getMessage()));
    }
  }

  // ---------------------------------------------------------------- phases

  /** Phase 1 (and each size of phase 5): {@code clients} to the first of {@code ps}, {@code inFlight} at once. */
  private JsonObject burst(String kind, String label, List<Servers.Server> ps, Servers.Server redis, String group, int clients, int inFlight) {
    JsonObject c;
    try {
      c = metered(ps, redis, () -> s.connect(kind, ps.get(0), group, group + "-", 0, clients, new JsonObject(), inFlight));
    } finally {
      s.close(group);
    }
    long connected = c.getLong("connected");
    double seconds = span(c);
    JsonObject result = new JsonObject().put("clients", clients).put("inFlight", inFlight).put("connected", connected)
        .put("failed", c.getLong("failed")).put("seconds", seconds).put("rate", connected / seconds)
        .put("helloMs", summary(c, "hello")).put("openMs", summary(c, "handshake")).put("cpu", c.getJsonObject("cpu"));
    System.out.printf(Locale.ROOT, "connect %s%s: %d of %d to %s, %d in flight: %.0f conn/s; %s p50 %.2f p99 %.2f ms; "
            + "TCP open→welcome p50 %.2f p99 %.2f ms; %s%n", kind, label.isEmpty() ? "" : " " + label, connected, clients,
        ps.get(0).name(), inFlight, connected / seconds, helloName(kind), q(result, "helloMs", "p50"), q(result, "helloMs", "p99"),
        q(result, "openMs", "p50"), q(result, "openMs", "p99"), cpuLine(result));
    return result;
  }

  /**
   * Phase 1, --burst-repeats times on the same processes: the figures of the burst with the median
   * conn/s (the lower middle one of an even count), every burst's in "repeats".
   */
  private JsonObject repeatedBurst(String kind, List<Servers.Server> ps, String group) {
    List<JsonObject> bursts = new ArrayList<>();
    for (int i = 1; i <= o.burstRepeats; i++) {
      bursts.add(burst(kind, o.burstRepeats > 1 ? "#" + i : "", ps, servers.redis, group + i, o.connectClients, o.connectConcurrency));
    }
    JsonObject middle = lowerMiddle(bursts, Comparator.comparingDouble(b -> b.getDouble("rate"))).copy();
    if (bursts.size() > 1) {
      System.out.printf(Locale.ROOT, "connect %s: median of %d bursts %.0f conn/s (each: %s)%n", kind, bursts.size(),
          middle.getDouble("rate"), bursts.stream().map(b -> String.format(Locale.ROOT, "%.0f", b.getDouble("rate"))).toList());
    }
    return middle.put("repeats", repeatsOf(bursts));
  }

  /** Phase 2: connects due at a fixed rate, each started when due whatever the ones before it are doing. */
  private JsonObject fixedRate(String kind, List<Servers.Server> ps, String group) {
    int clients = o.connectRate * o.connectSeconds;
    JsonObject c;
    try {
      c = metered(ps, servers.redis, () -> s.connect(kind, ps.get(0), group, group + "-", 0, clients,
          new JsonObject().put("rate", (double) o.connectRate), 1));
    } finally {
      s.close(group);
    }
    long connected = c.getLong("connected");
    double seconds = span(c);
    JsonObject result = new JsonObject().put("offered", o.connectRate).put("offeredSeconds", o.connectSeconds).put("clients", clients)
        .put("connected", connected).put("failed", c.getLong("failed")).put("seconds", seconds).put("rate", connected / seconds)
        .put("scheduledMs", summary(c, "scheduled")).put("openMs", summary(c, "handshake")).put("helloMs", summary(c, "hello"))
        .put("lateMs", summary(c, "lag")).put("cpu", c.getJsonObject("cpu"));
    System.out.printf(Locale.ROOT, "connect %s at %d/s for %d s: %d of %d to %s, achieved %.1f conn/s; scheduled→welcome p50 %.2f "
            + "p99 %.2f max %.2f ms; TCP open→welcome p50 %.2f p99 %.2f max %.2f ms; started late by the generator p99 %.2f ms; %s%n",
        kind, o.connectRate, o.connectSeconds, connected, clients, ps.get(0).name(), connected / seconds,
        q(result, "scheduledMs", "p50"), q(result, "scheduledMs", "p99"), q(result, "scheduledMs", "max"),
        q(result, "openMs", "p50"), q(result, "openMs", "p99"), q(result, "openMs", "max"), q(result, "lateMs", "p99"), cpuLine(result));
    return result;
  }

  /**
   * Phase 3: each client joins --resume-rooms rooms (of about 100 members) and keeps the head and
   * epoch it was told of its user stream and each room; all close, then reconnect with a hello
   * resuming all of them. A client is ready at its last stream's "resumed".
   */
  private JsonObject resume(List<Servers.Server> ps, String group) {
    Servers.Server target = ps.get(0);
    JsonObject joined;
    JsonObject c;
    try {
      joined = s.connect("sb", target, group, group + "-", 0, o.connectClients,
          new JsonObject().put("rooms", o.resumeRooms).put("roomPrefix", "rh" + run + "-"), o.connectConcurrency);
      s.disconnect(group);
      c = metered(ps, servers.redis, () -> s.resume(target, group, o.connectClients, o.connectConcurrency));
    } finally {
      s.close(group);
    }
    long resumed = c.getLong("connected");
    double seconds = span(c);
    JsonObject result = new JsonObject().put("clients", o.connectClients).put("rooms", o.resumeRooms)
        .put("joined", joined.getLong("connected")).put("inFlight", o.connectConcurrency).put("resumed", resumed)
        .put("failed", c.getLong("failed")).put("seconds", seconds).put("rate", resumed / seconds)
        .put("readyMs", summary(c, "helloReady")).put("helloMs", summary(c, "hello")).put("openMs", summary(c, "handshake"))
        .put("cpu", c.getJsonObject("cpu"));
    System.out.printf(Locale.ROOT, "resume sb: %d clients (%d joined all), each in %d rooms, %d in flight to %s: %d resumed at %.0f /s; "
            + "hello→every stream resumed p50 %.2f p99 %.2f ms (hello→welcome p99 %.2f ms); %s%n",
        o.connectClients, joined.getLong("connected"), o.resumeRooms, o.connectConcurrency, target.name(), resumed, resumed / seconds,
        q(result, "readyMs", "p50"), q(result, "readyMs", "p99"), q(result, "helloMs", "p99"), cpuLine(result));
    return result;
  }

  /**
   * Phase 5: for each size of --nodes, that many nodes and a Redis started fresh (killed after),
   * warmed up like the main ones, then --scale-repeats bursts to the first node, each metered: what
   * a connect costs the whole cluster as it grows. A size's figures are those of its median burst
   * (by the cluster's CPU per connect); the growth is taken from the medians, with and without the
   * JIT compilers' part (a fresh JVM's compiling is not what a connect costs a warm one).
   */
  private JsonObject scaleOut(String prefix) {
    JsonArray sizes = new JsonArray();
    for (int n : o.nodes) {
      try (Servers cluster = new Servers(o, o.out.resolve("logs").resolve("scale-" + n))) {
        cluster.startRedis();
        cluster.startSwitchboard(n);
        JsonObject warm = warmUp("sb", cluster.switchboard);
        List<JsonObject> bursts = new ArrayList<>();
        for (int i = 1; i <= o.scaleRepeats; i++) {
          String label = "scale-out " + n + (n == 1 ? " node" : " nodes") + (o.scaleRepeats > 1 ? " #" + i : "");
          bursts.add(burst("sb", label, cluster.switchboard, cluster.redis, prefix + n + "-" + i, o.scaleClients, o.scaleConcurrency));
        }
        sizes.add(medianOf(bursts).put("nodes", n).put("warmUp", warm));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    JsonArray growth = new JsonArray();
    for (int i = 1; i < sizes.size(); i++) {
      JsonObject a = sizes.getJsonObject(i - 1);
      JsonObject b = sizes.getJsonObject(i);
      Double ca = median(a, CLUSTER);
      Double cb = median(b, CLUSTER);
      if (ca == null || cb == null) {
        continue;
      }
      JsonObject g = new JsonObject().put("from", a.getInteger("nodes")).put("to", b.getInteger("nodes"))
          .put("cpuPercent", (cb / ca - 1) * 100);
      Double la = median(a, CLUSTER_LESS_JIT);
      Double lb = median(b, CLUSTER_LESS_JIT);
      if (la != null && lb != null) {
        g.put("cpuLessJitPercent", (lb / la - 1) * 100);
      }
      growth.add(g);
      System.out.printf(Locale.ROOT, "scale-out sb %d→%d nodes: CPU-ms per connect (cluster, median of %d) %.3f → %.3f: %+.1f%%%s%n",
          a.getInteger("nodes"), b.getInteger("nodes"), o.scaleRepeats, ca, cb, g.getDouble("cpuPercent"),
          g.containsKey("cpuLessJitPercent") ? String.format(Locale.ROOT, "; less the JIT compilers %.3f → %.3f: %+.1f%%",
              la, lb, g.getDouble("cpuLessJitPercent")) : "");
    }
    return new JsonObject().put("sizes", sizes).put("growth", growth);
  }

  private static final String CLUSTER = "cluster";
  private static final String CLUSTER_LESS_JIT = "clusterLessJit";

  /**
   * The burst with the median cluster CPU per connect (the lower middle one of an even count), with
   * every burst's figures in "repeats" and the median of each cluster figure, taken apart, in
   * "medianMs".
   */
  private static JsonObject medianOf(List<JsonObject> bursts) {
    List<JsonObject> measured = bursts.stream().filter(b -> perConnect(b).containsKey(CLUSTER)).toList();
    // no burst measured (none connected): its figures as they are, with no medians to grow from
    JsonObject middle = measured.isEmpty() ? bursts.get(0).copy()
        : lowerMiddle(measured, Comparator.comparingDouble(b -> perConnect(b).getDouble(CLUSTER))).copy();
    JsonObject medians = new JsonObject();
    for (String key : List.of(CLUSTER, CLUSTER_LESS_JIT)) {
      List<Double> values = measured.stream().map(b -> perConnect(b).getDouble(key)).filter(Objects::nonNull).toList();
      if (!values.isEmpty()) {
        medians.put(key, lowerMiddle(values, Comparator.naturalOrder()));
      }
    }
    return middle.put("repeats", repeatsOf(bursts)).put("medianMs", medians);
  }

  /** The median of a non-empty list in {@code order}; of an even count, the lower of the middle two. */
  private static <T> T lowerMiddle(List<T> values, Comparator<? super T> order) {
    return values.stream().sorted(order).toList().get((values.size() - 1) / 2);
  }

  /** What each of a phase's bursts measured, in the order they ran. */
  private static JsonArray repeatsOf(List<JsonObject> bursts) {
    JsonArray repeats = new JsonArray();
    bursts.forEach(b -> repeats.add(new JsonObject().put("rate", b.getDouble("rate"))
        .put("helloP99Ms", b.getJsonObject("helloMs").getDouble("p99")).put("perConnectMs", perConnect(b))));
    return repeats;
  }

  private static JsonObject perConnect(JsonObject burst) {
    return burst.getJsonObject("cpu").getJsonObject("perConnectMs");
  }

  private static Double median(JsonObject size, String key) {
    return size.getJsonObject("medianMs").getDouble(key);
  }

  /** The JIT warm-up of the kind's processes, through its first one. */
  private JsonObject warmUp(String kind, List<Servers.Server> ps) {
    return new JitWarmUp(o, s).run(kind, ps.get(0), ps);
  }

  // ---------------------------------------------------------------- measures

  /**
   * Runs {@code connects} (a connect or resume answer, see {@link Scenarios#connect}) with the CPU
   * of every process metered from a quiet window before it to {@link #TRAIL_MS} after; answers it
   * with "cpu" added ({@link #perConnect}).
   */
  private JsonObject metered(List<Servers.Server> ps, Servers.Server redis, Supplier<JsonObject> connects) {
    Map<String, List<Long>> roles = CpuMeter.roles(ps, redis, workers.pids());
    if (ps.get(0).name().startsWith("sb-")) {
      CpuMeter.withThreadGroups(roles, ps);
    }
    boolean quiet = awaitQuiet(roles);
    JsonObject idle = idleRates(roles);
    CpuMeter cpu = CpuMeter.start(roles);
    JsonObject c = connects.get();
    Procs.sleep(TRAIL_MS);
    return c.put("cpu", perConnect(ps, redis, idle, cpu.msBeyond(idle), c.getLong("connected")).put("quiet", quiet));
  }

  /**
   * Each role's CPU rate over --quiet-seconds with no traffic: JIT and GC threads, cluster
   * heartbeats, Redis's timers. Taken once the processes are quiet: the work of the phase before
   * (its closes, compiling) is not idle, and counted as such it would be taken off this phase's cost.
   */
  private JsonObject idleRates(Map<String, List<Long>> roles) {
    CpuMeter m = CpuMeter.start(roles);
    Procs.sleep(o.quietSeconds * 1000L);
    return m.msPerSecond();
  }

  /**
   * Waits (bounded) until no server process nor Redis uses more than a tenth of a core over half a
   * second; false when they never got that quiet (the idle rates then count work of the phase before,
   * and the CPU per connect comes out too low).
   */
  private static boolean awaitQuiet(Map<String, List<Long>> roles) {
    long deadline = System.nanoTime() + QUIET_WAIT_MS * 1_000_000;
    while (true) {
      CpuMeter second = CpuMeter.start(roles);
      Procs.sleep(500);
      JsonObject rates = second.msPerSecond();
      boolean busy = rates.fieldNames().stream().anyMatch(r -> !r.equals("generator") && rates.getDouble(r) > QUIET_MS_PER_SECOND);
      if (!busy) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        System.err.println("[bench] not quiet after " + QUIET_WAIT_MS / 1000 + " s (CPU-ms per second: " + rates.encode()
            + "): measuring anyway");
        return false;
      }
    }
  }

  /**
   * CPU-ms per connect: the process receiving them, the other server processes, Redis, the cluster
   * (those three added up) and, apart, the generator. Each is the CPU it used during the phase less
   * its idle rate; /proc counts in ticks of 10 ms, so a figure is good to about 10 ms / connects.
   */
  private static JsonObject perConnect(List<Servers.Server> ps, Servers.Server redis, JsonObject idle, JsonObject used, long connects) {
    JsonObject rates = new JsonObject().put("idleMsPerSecond", rounded(idle)).put("netMs", rounded(used));
    if (connects == 0) {
      return rates.put("perConnectMs", new JsonObject()); // nothing to divide by: no figure rather than a wrong one
    }
    double n = connects;
    double receiving = used.getDouble(ps.get(0).name());
    double others = 0;
    for (Servers.Server p : ps.subList(1, ps.size())) {
      others += used.getDouble(p.name());
    }
    double store = redis == null ? 0 : used.getDouble("redis");
    JsonObject per = new JsonObject().put("receiving", round(receiving / n));
    if (ps.size() > 1) {
      per.put("others", round(others / n));
    }
    per.put("redis", round(store / n)).put("cluster", round((receiving + others + store) / n))
        .put("generator", round(used.getDouble("generator") / n));
    for (CpuMeter.Threads t : CpuMeter.Threads.values()) {
      if (!used.containsKey(t.role(ps.get(0).name()))) {
        continue;
      }
      double groupOthers = 0;
      for (Servers.Server p : ps.subList(1, ps.size())) {
        groupOthers += used.getDouble(t.role(p.name()));
      }
      per.put("receiving" + t.key, round(used.getDouble(t.role(ps.get(0).name())) / n));
      if (ps.size() > 1) {
        per.put("others" + t.key, round(groupOthers / n));
      }
      if (t == CpuMeter.Threads.JIT) {
        // what a warm node pays: the compiling a fresh JVM still does is a cost of its youth
        double jit = used.getDouble(t.role(ps.get(0).name())) + groupOthers;
        per.put(CLUSTER_LESS_JIT, round((receiving + others + store - jit) / n));
      }
    }
    return rates.put("perConnectMs", per).put("resolutionMs", round(10 / n));
  }

  private static String cpuLine(JsonObject phase) {
    JsonObject cpu = phase.getJsonObject("cpu");
    JsonObject per = cpu.getJsonObject("perConnectMs");
    if (per.isEmpty()) {
      return "CPU-ms per connect: – (none connected)";
    }
    return String.format(Locale.ROOT, "CPU-ms per connect: receiving %.3f%s, other processes %s%s, Redis %.3f, cluster %.3f (generator %.3f)%s",
        per.getDouble("receiving"), threadsPart(per, "receiving"),
        per.containsKey("others") ? String.format(Locale.ROOT, "%.3f", per.getDouble("others")) : "–",
        threadsPart(per, "others"),
        per.getDouble("redis"), per.getDouble("cluster"), per.getDouble("generator"),
        cpu.getBoolean("quiet", true) ? "" : " [the processes were not quiet before: idle rates too high, these too low]");
  }

  /** " (Hazelcast threads x, JIT compiler threads y, GC threads z)" of the receiving process or the others, when measured. */
  private static String threadsPart(JsonObject per, String who) {
    List<String> parts = new ArrayList<>();
    for (CpuMeter.Threads t : CpuMeter.Threads.values()) {
      if (per.containsKey(who + t.key)) {
        parts.add(String.format(Locale.ROOT, "%s %.3f", t.label, per.getDouble(who + t.key)));
      }
    }
    return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
  }

  /** From the first connect started to the last one ready, over every worker. */
  private static double span(JsonObject merged) {
    return Math.max(1e-3, (merged.getLong("lastReadyNs") - merged.getLong("startNs")) / 1e9);
  }

  private static JsonObject summary(JsonObject merged, String histogram) {
    return Histogram.fromJson(merged.getJsonArray(histogram)).summaryMs();
  }

  private static double q(JsonObject result, String key, String quantile) {
    return result.getJsonObject(key).getDouble(quantile);
  }

  static String helloName(String kind) {
    return kind.equals("sb") ? "hello→welcome" : "connect→connected";
  }

  static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static JsonObject rounded(JsonObject values) {
    JsonObject out = new JsonObject();
    values.forEach(e -> out.put(e.getKey(), round(((Number) e.getValue()).doubleValue())));
    return out;
  }
}
