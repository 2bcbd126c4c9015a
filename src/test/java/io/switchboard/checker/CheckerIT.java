package io.switchboard.checker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The randomized model-based check of the delivery guarantee (docs/checker.md). {@code mvn verify}
 * runs a fixed set of (scenario, seed) pairs on one cluster, within about three minutes;
 * {@code -Dchecker.seeds=N} runs N random seeds (a soak), {@code -Dchecker.seed=S} reproduces one
 * ({@code -Dchecker.scenario=NAME} to choose its scenario; otherwise the seed picks it).
 */
class CheckerIT {

  /** One run per scenario: together they reach every defect class of issue 11 the checker knows. */
  static final List<Object[]> FIXED = List.of(
      new Object[] {Scenario.PIPELINED, 11L},
      new Object[] {Scenario.LOST, 12L},
      new Object[] {Scenario.REFUSALS, 13L},
      new Object[] {Scenario.CLOCK, 14L},
      new Object[] {Scenario.FAILED_SUBSCRIBE, 15L},
      new Object[] {Scenario.REDIS, 16L},
      new Object[] {Scenario.FREEZE, 17L},
      new Object[] {Scenario.KILLS, 18L},
      new Object[] {Scenario.BUSY_ROOM, 20L},
      new Object[] {Scenario.PRESENCE_FAULTS, 21L},
      new Object[] {Scenario.ROOM_COST, 22L},
      new Object[] {Scenario.RANDOM, 19L});

  /** The fixed set's whole budget, cluster start included; a soak gets this per seed. */
  static final long FIXED_BUDGET_MS = 170_000;
  static final long SOAK_RUN_MS = 60_000;
  /** A run's random operations stop at its budget; its scripted part and checks always run. */
  static final long MIN_RUN_MS = 12_000;

  private static Cluster cluster;
  private static boolean failed;
  private static final Contract CONTRACT = Contract.fromSystemProperties();

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
      if (!failed) {
        cluster.deleteLogs();
      }
    }
  }

  @TestFactory
  List<DynamicTest> checker() {
    List<Object[]> runs = new ArrayList<>();
    String one = System.getProperty("checker.seed");
    String scenario = System.getProperty("checker.scenario");
    Integer soak = Integer.getInteger("checker.seeds");
    boolean fixed = false;
    if (one != null) {
      long seed = Long.parseLong(one.trim());
      runs.add(new Object[] {scenario != null ? Scenario.named(scenario) : bySeed(seed), seed});
    } else if (soak != null) {
      Random r = new Random();
      for (int i = 0; i < soak; i++) {
        long seed = r.nextLong() & Long.MAX_VALUE;
        runs.add(new Object[] {scenario != null ? Scenario.named(scenario) : bySeed(seed), seed});
      }
    } else {
      fixed = true;
      runs.addAll(FIXED);
    }
    long started = System.currentTimeMillis();
    long total = fixed ? FIXED_BUDGET_MS : SOAK_RUN_MS * runs.size();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Scenario s = (Scenario) runs.get(i)[0];
      long seed = (Long) runs.get(i)[1];
      int left = runs.size() - i;
      tests.add(DynamicTest.dynamicTest(s.name() + " seed " + seed, () -> {
        long remaining = total - (System.currentTimeMillis() - started);
        runOne(s, seed, Math.max(MIN_RUN_MS, remaining / left));
      }));
    }
    return tests;
  }

  /** Without a scenario, a seed picks its own: a soak covers every scenario. */
  static Scenario bySeed(long seed) {
    return Scenario.ALL.get((int) Math.floorMod(seed, (long) Scenario.ALL.size()));
  }

  private static void runOne(Scenario scenario, long seed, long budgetMs) throws IOException {
    if (cluster == null || !cluster.healthy()) {
      if (cluster != null) {
        cluster.close();
      }
      cluster = Cluster.start(CONTRACT);
    }
    long t0 = System.currentTimeMillis();
    Run run = new Run(scenario, seed, cluster, CONTRACT, budgetMs);
    List<Violation> violations = run.execute();
    long took = System.currentTimeMillis() - t0;
    System.out.println("checker: " + scenario.name() + " seed " + seed + ": " + violations.size() + " violation(s) in "
        + took + " ms, " + run.conns.size() + " connections, " + run.trace.size() + " events");
    if (violations.isEmpty() && !Boolean.getBoolean("checker.traces")) {
      return;
    }
    String report = violations.isEmpty() ? "checker: " + scenario.name() + " seed " + seed + ": no violation\n"
        : report(run, violations, took);
    Path file = Path.of("target", "checker", scenario.name() + "-" + seed + ".txt");
    Files.createDirectories(file.getParent());
    StringBuilder full = new StringBuilder(report).append("\n\n==== the whole trace ====\n");
    run.trace.select(e -> true).forEach(e -> full.append(e).append('\n'));
    Files.writeString(file, full);
    if (violations.isEmpty()) {
      return;
    }
    failed = true;
    fail(report + "\n(whole trace: " + file.toAbsolutePath() + ")");
  }

  /** The seed, how to reproduce, and per broken rule the first case with the events that matter to it. */
  static String report(Run run, List<Violation> violations, long took) {
    StringBuilder b = new StringBuilder();
    b.append("checker: scenario ").append(run.scenario.name()).append(", seed ").append(run.seed).append(": ")
        .append(violations.size()).append(" violation(s) in ").append(took).append(" ms\n")
        .append("reproduce: mvn verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CheckerIT")
        .append(" -Dchecker.scenario=").append(run.scenario.name()).append(" -Dchecker.seed=").append(run.seed).append('\n');
    Map<Check, List<Violation>> byCheck = new LinkedHashMap<>();
    violations.forEach(v -> byCheck.computeIfAbsent(v.check(), c -> new ArrayList<>()).add(v));
    byCheck.forEach((check, list) -> {
      b.append("\n== ").append(check).append(" (").append(check.rule).append("; ").append(check.item).append("): ")
          .append(list.size()).append('\n');
      Violation first = list.get(0);
      b.append("  ").append(first).append('\n');
      for (int i = 1; i < Math.min(list.size(), 6); i++) {
        b.append("  also: ").append(list.get(i)).append('\n');
      }
      b.append("  trace (the device and stream of the first, faults, checkpoints):\n");
      for (Trace.Event e : run.trace.relevant(first.device(), first.user(), first.stream(), first.event(), 40)) {
        b.append("    ").append(e).append('\n');
      }
    });
    b.append("\nnodes:\n  ").append(String.join("\n  ", run.cluster.describe()));
    return b.toString();
  }
}
