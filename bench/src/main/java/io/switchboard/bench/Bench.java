package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Entry point of bench.jar. Without a sub-command: the coordinator (flags in {@link BenchOptions}),
 * which starts the servers and the generator processes, runs the scenarios and writes the results.
 * {@code worker}: a generator process. {@code raw PORT}: the raw baseline server.
 * {@code report RESULTS.json DOCS_DIR}: regenerates the document and charts from a results file.
 * {@code heap-owners BEFORE.hprof AFTER.hprof N}: who holds the arrays, strings and JDK collections
 * that N connections added (see {@link HeapOwners}).
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("worker")) {
      Worker.main(new String[0]);
      return;
    }
    if (args.length > 0 && args[0].equals("raw")) {
      RawServer.main(List.of(args).subList(1, args.length).toArray(new String[0]));
      return;
    }
    if (args.length > 0 && args[0].equals("heap-owners")) {
      System.out.println(HeapOwners.perConnection(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]), 25).encodePrettily());
      return;
    }
    if (args.length > 0 && args[0].equals("report")) {
      JsonObject results = new JsonObject(Files.readString(Path.of(args[1])));
      new BenchmarksPage(new Report(results), results).write(Path.of(args[2]));
      return;
    }
    int exit = 0;
    try {
      JsonObject results = run(BenchOptions.parse(args));
      if (!results.getJsonObject("errors").isEmpty()) {
        exit = 1;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      exit = 2;
    } finally {
      Procs.killAll();
    }
    System.exit(exit);
  }

  /** Runs the chosen scenarios against the chosen servers; writes latest.json (and the docs); returns the results. */
  public static JsonObject run(BenchOptions o) throws IOException {
    Files.createDirectories(o.out);
    JsonObject results = new JsonObject().put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("quick", o.quick).put("note", o.note).put("machine", machine(o)).put("options", options(o));
    results.put("reductions", Report.reductions(results.getJsonObject("options")));
    JsonObject errors = new JsonObject();
    results.put("errors", errors);
    JsonArray restarts = new JsonArray();
    results.put("restarts", restarts);
    try (Servers servers = new Servers(o)) {
      servers.startRedis();
      if (o.servers.contains("sb")) {
        servers.startSwitchboard();
      }
      if (o.servers.contains("sio")) {
        servers.startSocketIo();
      }
      if (o.servers.contains("raw") && o.scenarios.contains("fanout")) {
        servers.startRaw();
      }
      try (WorkerPool workers = new WorkerPool(o.workers, o.secret, o.out.resolve("logs"))) {
        Scenarios s = new Scenarios(o, servers, workers);
        boolean first = true;
        // the storm kills a process of each server: it goes last
        for (String scenario : List.of("idle", "p2p", "fanout", "connect", "storm")) {
          if (!o.scenarios.contains(scenario)) {
            continue;
          }
          boolean fresh = first;
          first = false;
          JsonObject part = new JsonObject();
          results.put(scenario, part);
          // Switchboard's resume phase can leave its node busy for minutes: Socket.IO's connects go first
          for (String kind : scenario.equals("connect") ? List.of("sio", "sb") : List.of("sb", "sio", "raw")) {
            if (!o.servers.contains(kind) || (kind.equals("raw") && !scenario.equals("fanout"))) {
              continue;
            }
            System.err.printf("[bench] %s / %s ...%n", scenario, kind);
            long t0 = System.nanoTime();
            try {
              for (String dead : servers.restartIfDead(kind)) {
                System.err.printf("[bench] %s had died; restarted before %s%n", dead, scenario);
                restarts.add(new JsonObject().put("before", scenario).put("server", dead));
              }
              if (!fresh) {
                // every scenario meets processes started for it (its own warm-up follows)
                servers.restart(kind);
              }
              Supplier<JsonObject> step = switch (scenario) {
                case "idle" -> () -> s.idle(kind);
                case "p2p" -> () -> s.pointToPoint(kind);
                case "fanout" -> () -> s.fanout(kind);
                case "connect" -> () -> s.connects(kind);
                default -> () -> s.storm(kind);
              };
              JsonObject result = step.get();
              part.put(kind, result);
              // a scenario of phases keeps the figures of those that ran when one fails
              JsonObject failed = result.getJsonObject("failedPhases", new JsonObject());
              failed.forEach(e -> errors.put(scenario + "/" + kind + "/" + e.getKey(), e.getValue()));
            } catch (RuntimeException e) {
              e.printStackTrace();
              errors.put(scenario + "/" + kind, String.valueOf(e.getMessage()));
            }
            System.err.printf("[bench] %s / %s done in %.1f s%n", scenario, kind, (System.nanoTime() - t0) / 1e9);
          }
        }
      }
    } catch (RuntimeException e) {
      e.printStackTrace();
      errors.put("setup", String.valueOf(e.getMessage()));
    }
    results.getJsonObject("machine").put("loadAverageEnd", loadAverage());
    Report report = new Report(results);
    results.put("targets", report.targets());
    // a run whose servers never started keeps the last real results in latest.json
    Path written = o.out.resolve(errors.containsKey("setup") ? "failed.json" : "latest.json");
    Files.writeString(written, results.encodePrettily());
    System.out.println();
    System.out.print(report.table());
    System.out.println();
    for (Object t : results.getJsonArray("targets")) {
      JsonObject j = (JsonObject) t;
      System.out.printf("%-12s %s: %s%n", j.getString("status"), j.getString("target"), j.getString("measured"));
    }
    if (o.docs != null && errors.containsKey("setup")) {
      // the published figures stay those of the last run that measured something
      System.out.println("\nnot writing " + o.docs.resolve("benchmarks.md") + ": the servers did not start");
    } else if (o.docs != null) {
      new BenchmarksPage(report, results).write(o.docs);
      System.out.println("\nwrote " + written + ", " + o.docs.resolve("benchmarks.md") + " and charts in " + o.docs.resolve("bench"));
    }
    return results;
  }

  private static JsonObject options(BenchOptions o) {
    return new JsonObject().put("workers", o.workers).put("idlePerProcess", o.idlePerProcess).put("idleWarmup", o.idleWarmup)
        .put("p2pRates", new JsonArray(o.p2pRates)).put("p2pSeconds", o.p2pSeconds).put("p2pSenders", o.p2pSenders)
        .put("p2pRecipients", o.p2pRecipients).put("fanoutMembers", o.fanoutMembers).put("fanoutRate", o.fanoutRate)
        .put("fanoutSeconds", o.fanoutSeconds).put("warmupSeconds", o.warmupSeconds).put("stormClients", o.stormClients).put("stormRate", o.stormRate)
        .put("connectConcurrency", o.connectConcurrency).put("connectClients", o.connectClients).put("connectRate", o.connectRate)
        .put("connectSeconds", o.connectSeconds).put("resumeRooms", o.resumeRooms).put("nodes", new JsonArray(o.nodes))
        .put("scaleClients", o.scaleClients).put("scaleConcurrency", o.scaleConcurrency).put("scaleRepeats", o.scaleRepeats)
        .put("burstRepeats", o.burstRepeats)
        .put("connectPhases", new JsonArray(List.copyOf(o.connectPhases))).put("quietSeconds", o.quietSeconds)
        .put("nodeJvm", o.nodeJvm)
        .put("servers", new JsonArray(List.copyOf(o.servers))).put("scenarios", new JsonArray(List.copyOf(o.scenarios)));
  }

  private static JsonObject machine(BenchOptions o) {
    String cpu = "unknown";
    int cores = Runtime.getRuntime().availableProcessors();
    String mem = "unknown";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          mem = String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: leave unknown
    }
    return new JsonObject().put("cpu", cpu).put("cores", cores).put("memory", mem)
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put("loadAverageStart", loadAverage())
        .put("java", firstLine(List.of(Procs.javaBin(), "-version")))
        .put("node", o.servers.contains("sio") ? firstLine(List.of(o.node, "--version")) : "not used");
  }

  /** The 1, 5 and 15 minute load averages: how busy the machine was besides this run. */
  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The first line a command prints (a tool's version), or "unknown" when it cannot run. */
  static String firstLine(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(30, TimeUnit.SECONDS);
      return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
