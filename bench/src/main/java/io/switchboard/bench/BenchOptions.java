package io.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The coordinator's flags (documented in docs/benchmarks.md); every size is bounded. */
final class BenchOptions {

  Path out = Path.of("bench", "results");
  Path docs = Path.of("docs");
  Path jar = Path.of("target", "switchboard.jar");
  Path socketio = Path.of("bench", "socketio");
  /** Where the idle scenario writes heap dumps of the first node, to attribute its anonymous objects (null: {@code <out>/heap-dumps}). */
  Path heapDumps;
  boolean noHeapDumps;
  String node = "node";
  String nodeJvm = "-Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20";
  Set<String> servers = new TreeSet<>(List.of("sb", "sio", "raw"));
  Set<String> scenarios = new TreeSet<>(List.of("idle", "p2p", "fanout", "storm"));
  int workers = 4;
  int idlePerProcess = 15_000;
  /** Connected and closed on each process before the idle baseline is taken (0: none). */
  int idleWarmup = 2_000;
  List<Integer> p2pRates = new ArrayList<>(List.of(5_000, 20_000, 50_000));
  int p2pSeconds = 10;
  int p2pSenders = 100;
  int p2pRecipients = 1_000;
  int fanoutMembers = 10_000;
  int fanoutRate = 100;
  int fanoutSeconds = 10;
  /**
   * At most this many batches of --idle-warmup connects before the connect scenario, each scale-out
   * cluster and the storm, until the JVMs' compilers rest (JitWarmUp).
   */
  int warmRounds = 40;
  /** Traffic before a measured phase, not counted: JIT compilation of either runtime settles first. */
  int warmupSeconds = 10;
  int stormClients = 10_000;
  int stormRate = 500;
  int connectConcurrency = 200;
  /** The connect scenario: connections in its first phase (to one node) and in its resume phase. */
  int connectClients = 5_000;
  /** Its open-loop phase: connects offered per second to one node, for this long. */
  int connectRate = 500;
  int connectSeconds = 20;
  /** Rooms each client of the resume phase is a member of (its hello resumes them all). */
  int resumeRooms = 10;
  /** Cluster sizes of the scale-out phase, each started fresh with its own Redis. */
  List<Integer> nodes = new ArrayList<>(List.of(1, 2, 4));
  int scaleClients = 5_000;
  int scaleConcurrency = 100;
  /**
   * Bursts measured on each scale-out cluster; the size's figure is their median. One burst of a
   * few seconds on two shared cores moves by a third from run to run.
   */
  int scaleRepeats = 3;
  /**
   * Bursts of the connect scenario's first phase, for each server; its figures are those of the
   * median burst by conn/s. A fresh JVM still compiles after its warm-up, and how much of it lands
   * in one burst is chance.
   */
  int burstRepeats = 3;
  /** Phases of the connect scenario to run (its Socket.IO reference phases go with them). */
  Set<String> connectPhases = new TreeSet<>(CONNECT_PHASES);
  static final Set<String> CONNECT_PHASES = Set.of("burst", "rate", "scale", "resume");
  /** The quiet window before each measured connect phase, over which every process's idle CPU rate is taken. */
  int quietSeconds = 5;
  String secret = "bench-secret-that-is-at-least-32-characters-long";
  boolean quick;
  String note = "";

  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--quick")) {
        o.quick();
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("flag " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--out" -> o.out = Path.of(v);
        case "--docs" -> o.docs = v.isEmpty() || v.equals("none") ? null : Path.of(v);
        case "--jar" -> o.jar = Path.of(v);
        case "--socketio" -> o.socketio = Path.of(v);
        case "--heap-dumps" -> {
          o.noHeapDumps = v.equals("none");
          o.heapDumps = o.noHeapDumps ? null : Path.of(v);
        }
        case "--node" -> o.node = v;
        case "--note" -> o.note = v;
        case "--node-jvm" -> o.nodeJvm = v;
        case "--servers" -> o.servers = set(v, Set.of("sb", "sio", "raw"));
        case "--scenarios" -> o.scenarios = set(v, Set.of("idle", "p2p", "fanout", "storm", "connect"));
        case "--workers" -> o.workers = bounded(a, v, 1, 16);
        case "--idle" -> o.idlePerProcess = bounded(a, v, 1, 19_000);
        case "--idle-warmup" -> o.idleWarmup = bounded(a, v, 0, 19_000);
        case "--warm-rounds" -> o.warmRounds = bounded(a, v, 1, 50);
        case "--p2p-rates" -> o.p2pRates = Arrays.stream(v.split(",")).map(r -> bounded(a, r.trim(), 1, 500_000)).toList();
        case "--p2p-seconds" -> o.p2pSeconds = bounded(a, v, 1, 300);
        case "--p2p-senders" -> o.p2pSenders = bounded(a, v, 1, 10_000);
        case "--p2p-recipients" -> o.p2pRecipients = bounded(a, v, 1, 19_000);
        case "--fanout-members" -> o.fanoutMembers = bounded(a, v, 2, 38_000);
        case "--fanout-rate" -> o.fanoutRate = bounded(a, v, 1, 10_000);
        case "--fanout-seconds" -> o.fanoutSeconds = bounded(a, v, 1, 300);
        case "--warmup-seconds" -> o.warmupSeconds = bounded(a, v, 1, 120);
        case "--storm-clients" -> o.stormClients = bounded(a, v, 1, 19_000);
        case "--storm-rate" -> o.stormRate = bounded(a, v, 1, 100_000);
        case "--connect-concurrency" -> o.connectConcurrency = bounded(a, v, 1, 5_000);
        // one node holds them all: its open-files limit (20000) bounds them
        case "--connect-clients" -> o.connectClients = bounded(a, v, 1, 19_000);
        case "--connect-rate" -> o.connectRate = bounded(a, v, 1, 10_000);
        case "--connect-seconds" -> o.connectSeconds = bounded(a, v, 1, 120);
        case "--resume-rooms" -> o.resumeRooms = bounded(a, v, 1, 100);
        case "--nodes" -> o.nodes = Arrays.stream(v.split(",")).map(n -> bounded(a, n.trim(), 1, 8)).toList();
        case "--scale-clients" -> o.scaleClients = bounded(a, v, 1, 19_000);
        case "--scale-concurrency" -> o.scaleConcurrency = bounded(a, v, 1, 5_000);
        case "--scale-repeats" -> o.scaleRepeats = bounded(a, v, 1, 9);
        case "--burst-repeats" -> o.burstRepeats = bounded(a, v, 1, 9);
        case "--connect-phases" -> o.connectPhases = set(v, CONNECT_PHASES);
        case "--quiet-seconds" -> o.quietSeconds = bounded(a, v, 1, 60);
        default -> throw new IllegalArgumentException("unknown flag " + a);
      }
    }
    if ((long) o.connectRate * o.connectSeconds > 19_000) {
      // the open-loop phase keeps its connections open to the end, all on one node
      throw new IllegalArgumentException("--connect-rate × --connect-seconds must be at most 19000, got "
          + (long) o.connectRate * o.connectSeconds);
    }
    return o;
  }

  /** Tiny sizes: checks the harness end to end in about a minute, measures nothing worth publishing. */
  BenchOptions quick() {
    quick = true;
    workers = 2;
    idlePerProcess = 200;
    idleWarmup = 50;
    warmRounds = 1;
    p2pRates = List.of(200, 1_000);
    p2pSeconds = 2;
    p2pSenders = 10;
    p2pRecipients = 50;
    fanoutMembers = 200;
    fanoutRate = 10;
    fanoutSeconds = 2;
    warmupSeconds = 1;
    stormClients = 200;
    stormRate = 100;
    connectClients = 200;
    connectRate = 100;
    connectSeconds = 2;
    nodes = List.of(1, 2);
    scaleClients = 200;
    scaleRepeats = 1;
    burstRepeats = 1;
    quietSeconds = 1;
    return this;
  }

  private static Set<String> set(String v, Set<String> allowed) {
    Set<String> s = new TreeSet<>(Arrays.asList(v.split(",")));
    if (!allowed.containsAll(s)) {
      throw new IllegalArgumentException(v + ": allowed values are " + allowed);
    }
    return s;
  }

  private static int bounded(String flag, String v, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a number: " + v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(flag + ": must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }
}
