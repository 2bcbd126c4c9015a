package io.switchboard.client;

import io.switchboard.support.NodeProcess;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the JavaScript client's own tests (clients/js) from Maven: finds Node.js, npm and Chromium,
 * installs the locked dependencies once ({@code npm ci}), starts real nodes for the tests, and runs
 * the scripts with the output copied line by line into this test's report.
 *
 * <p>Missing tools make the tests <b>skip</b> with a message (a machine with only JDK and Maven passes
 * {@code mvn verify}), unless {@code -Djs.required=true} says they are required: then they fail.
 * Overrides: {@code -Dnode.bin}, {@code -Dnpm.bin}, {@code -Dchromium.path} (or {@code CHROMIUM}).
 */
final class JsTools {

  static final boolean REQUIRED = Boolean.getBoolean("js.required");
  static final Path JS_DIR = Path.of("clients", "js").toAbsolutePath();
  static final String SECRET = "js-client-it-secret-that-is-long-enough-0123456789";
  static final String API_KEY = "js-client-it-api-key-0123456789abcdef";
  static final int MIN_NODE_MAJOR = 20;

  private static boolean installed;

  private JsTools() {
  }

  static String node() {
    return System.getProperty("node.bin", "node");
  }

  static String npm() {
    return System.getProperty("npm.bin", "npm");
  }

  /** Skips (or, when required, fails) unless Node.js {@value #MIN_NODE_MAJOR}+ and npm are on the PATH. */
  static void requireNode() {
    String version = firstLine(List.of(node(), "--version"));
    need(version != null, "Node.js not found (`" + node() + " --version` failed)");
    int major = 0;
    try {
      major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
    } catch (NumberFormatException e) {
      // reported below
    }
    need(major >= MIN_NODE_MAJOR, "Node.js " + MIN_NODE_MAJOR + "+ needed, found " + version);
    need(firstLine(List.of(npm(), "--version")) != null, "npm not found (`" + npm() + " --version` failed)");
    System.out.println("[js] node " + version + ", npm " + firstLine(List.of(npm(), "--version")) + ", js.required=" + REQUIRED);
  }

  /** The Chromium binary for the browser test; skips (or fails) when there is none. */
  static String requireChromium() {
    String path = System.getProperty("chromium.path", System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    need(new File(path).canExecute(), "Chromium not found at " + path + " (install Debian's chromium, or set -Dchromium.path)");
    return path;
  }

  /** {@code npm ci} in clients/js, once per test JVM (the lock file pins ws, playwright-core, typescript). */
  static synchronized void npmCi() throws Exception {
    if (installed) {
      return;
    }
    List<String> cmd = List.of(npm(), "ci", "--no-audit", "--no-fund", "--loglevel=warn");
    Result r = run("npm ci", cmd, Map.of(), Duration.ofMinutes(10));
    need(r.exit == 0, "`npm ci` in clients/js failed (exit " + r.exit + "; no access to the npm registry?):\n" + r.tail());
    installed = true;
  }

  /** Skips the test with {@code message}, or fails it when -Djs.required=true. */
  static void need(boolean ok, String message) {
    if (ok) {
      return;
    }
    if (REQUIRED) {
      Assertions.fail(message + " — required because -Djs.required=true");
    }
    Assumptions.abort(message + " — skipping the JavaScript client tests (-Djs.required=true makes this a failure)");
  }

  /** Two nodes from the fat jar: A (API, dev tokens) and B (also keeps 3 messages per stream, heartbeat 2 s). */
  static NodeProcess[] startNodes(String prefix) throws Exception {
    Map<String, String> common = Map.of("SB_JWT_SECRET", SECRET, "SB_API_KEYS", API_KEY, "SB_DEV_MODE", "true",
        "SB_HTTP_INSTANCES", "2");
    Map<String, String> gap = new LinkedHashMap<>(common);
    gap.put("SB_RETENTION_MESSAGES", "3");
    gap.put("SB_HEARTBEAT_MS", "2000");
    NodeProcess a = NodeProcess.start(prefix + "-a", List.of(), common);
    NodeProcess b = NodeProcess.start(prefix + "-b", List.of(), gap);
    try {
      a.awaitReady();
      b.awaitReady();
    } catch (Throwable e) {
      a.close();
      b.close();
      throw e;
    }
    return new NodeProcess[] {a, b};
  }

  /** The environment the JS tests read (see clients/js/test/support/server.mjs). */
  static Map<String, String> env(NodeProcess a, NodeProcess b) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SB_URL", "http://127.0.0.1:" + a.port());
    env.put("SB_GAP_URL", "http://127.0.0.1:" + b.port());
    env.put("SB_SECRET", SECRET);
    env.put("SB_API_KEY", API_KEY);
    env.put("SB_JAR", Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar")).toAbsolutePath().toString());
    env.put("SB_JAVA", System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    return env;
  }

  record Result(int exit, List<String> lines) {
    String tail() {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }
  }

  /** {@link #run(String, Path, List, Map, Duration)} in clients/js. */
  static Result run(String label, List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
    return run(label, JS_DIR, cmd, env, timeout);
  }

  /**
   * Runs {@code cmd} in {@code dir} with {@code env} added (SB_* from the machine removed), copying
   * its output to stdout (the failsafe report) as it comes; kills it and its children at the deadline.
   */
  static Result run(String label, Path dir, List<String> cmd, Map<String, String> env, Duration timeout) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
    pb.environment().put("NO_COLOR", "1");
    pb.environment().put("npm_config_update_notifier", "false");
    pb.environment().putAll(env);
    long start = System.nanoTime();
    System.out.println("[" + label + "] $ " + String.join(" ", cmd));
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    Thread pump = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          synchronized (lines) {
            lines.add(line);
          }
          System.out.println("[" + label + "] " + line);
        }
      } catch (IOException e) {
        // the process was killed
      }
    }, "js-output-" + label);
    pump.setDaemon(true);
    pump.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      pump.join(5000);
      Assertions.fail("[" + label + "] did not finish within " + timeout + ":\n" + new Result(-1, lines).tail());
    }
    pump.join(10000);
    System.out.printf("[%s] exit %d after %.1f s%n", label, p.exitValue(), (System.nanoTime() - start) / 1e9);
    synchronized (lines) {
      return new Result(p.exitValue(), new ArrayList<>(lines));
    }
  }

  private static String firstLine(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      return out.lines().reduce((x, y) -> y).orElse(null); // npm may print warnings first
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static void ensureReportDir(Path dir) throws IOException {
    Files.createDirectories(dir);
  }
}
