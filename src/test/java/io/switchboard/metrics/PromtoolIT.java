package io.switchboard.metrics;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prometheus' own checks of deploy/prometheus/: {@code promtool check rules} on the rules file (it
 * loads: YAML, PromQL, templates) and {@code promtool test rules} on its unit tests (the alerts fire
 * on the series that should set them off, and not on a healthy cluster).
 *
 * <p>promtool comes from Debian's {@code prometheus} package (.ci/run extracts it). Without it the
 * tests <b>skip</b> (a machine with only JDK and Maven passes {@code mvn verify}), unless
 * {@code -Dpromtool.required=true} (as in CI) makes that a failure. {@code -Dpromtool.bin} names
 * another binary than {@code promtool} on the PATH.
 */
class PromtoolIT {

  static final boolean REQUIRED = Boolean.getBoolean("promtool.required");
  static final String PROMTOOL = System.getProperty("promtool.bin", "promtool");
  static final Path DIR = Path.of("deploy", "prometheus");
  static final long TIMEOUT_SECONDS = 120;

  record Result(int exit, String output) {
  }

  /** In each test rather than in @BeforeAll, so that a skip is reported as skipped tests, with the reason. */
  static void requirePromtool() throws Exception {
    Result version = run(List.of(PROMTOOL, "--version"));
    if (version == null || version.exit() != 0) {
      String message = "promtool not found (`" + PROMTOOL + " --version` failed; Debian: the prometheus package, see .ci/run)";
      if (REQUIRED) {
        Assertions.fail(message + " — required because -Dpromtool.required=true");
      }
      Assumptions.abort(message + " — skipping (-Dpromtool.required=true makes this a failure)");
    }
    System.out.println("[promtool] " + version.output().lines().findFirst().orElse(""));
  }

  @Test
  void theRulesFileLoads() throws Exception {
    requirePromtool();
    Result r = run(List.of(PROMTOOL, "check", "rules", AlertRules.FILE.toString()));
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("SUCCESS: " + AlertRules.load().size() + " rules found"), r.output());
  }

  @Test
  void theAlertsFireWhenTheyShouldAndNotOnAHealthyCluster() throws Exception {
    requirePromtool();
    Result r = run(List.of(PROMTOOL, "test", "rules", DIR.resolve("switchboard-alerts.test.yml").toString()));
    assertEquals(0, r.exit(), r.output());
    assertTrue(r.output().contains("SUCCESS"), r.output());
  }

  /** Null when the binary cannot be started. */
  private static Result run(List<String> cmd) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
    } catch (IOException e) {
      return null;
    }
    // the output is small: read to its end, which comes when the process exits or is killed
    Thread killer = new Thread(() -> {
      try {
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }, "promtool-timeout");
    killer.setDaemon(true);
    killer.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean finished = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertTrue(finished, String.join(" ", cmd) + " did not finish within " + TIMEOUT_SECONDS + " s:\n" + out);
    System.out.println("[promtool] $ " + String.join(" ", cmd) + "\n" + out);
    return new Result(p.exitValue(), out);
  }
}
