package io.switchboard;

import io.switchboard.support.NestedMaven;
import io.switchboard.support.Ports;
import io.switchboard.support.RedisServer;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Dockerfile builds, and its image starts a node (issue 14: its build stage once lacked what the
 * tests it compiled needed). No Docker engine runs where CI does, so this does what the engine would,
 * from the Dockerfile itself: the build stage's {@code COPY} sources (and nothing else, minus
 * .dockerignore) go into an empty folder, where its {@code RUN mvn} lines run; the runtime stage's
 * {@code COPY} lines assemble /app, and its {@code ENV} and {@code ENTRYPOINT} start the jar, with
 * /app in a folder of the test's; its {@code HEALTHCHECK} command must then find the node ready, and
 * SIGTERM must reach java (the entrypoint's {@code exec}) so that the node drains and exits 0.
 * {@code dependency:go-offline} is not run: it only fills a layer cache, from the network.
 */
class DockerfileIT {

  private static final Duration BUILD = Duration.ofMinutes(10);
  private static final Duration START = Duration.ofSeconds(90);
  private static final Set<String> IGNORED = Set.of("target", ".git", "node_modules");
  private static final String SECRET = "dockerfile-it-secret-0123456789abcdefghij";

  /** One instruction: its keyword and the rest of its line. */
  record Instruction(String keyword, String args) {
  }

  @Test
  void theBuildStageBuildsFromWhatItCopiesAndTheImageStartsANodeItsHealthcheckFindsReady(@TempDir Path root) throws Exception {
    Map<String, List<Instruction>> stages = stages(Files.readAllLines(Path.of("Dockerfile")));
    List<Instruction> build = stages.get("build");
    List<Instruction> run = stages.get("run");
    assertTrue(build != null && run != null, "a build stage and a final stage: " + stages.keySet());

    Path buildDir = null;
    for (Instruction i : build) {
      switch (i.keyword()) {
        case "WORKDIR" -> buildDir = Files.createDirectories(root.resolve(i.args().substring(1)));
        case "COPY" -> copy(i.args(), root, buildDir);
        case "RUN" -> {
          if (!i.args().contains("dependency:go-offline")) {
            assertTrue(i.args().startsWith("mvn "), "the build stage runs Maven only: " + i.args());
            List<String> args = new ArrayList<>(List.of(i.args().substring(4).trim().split("\\s+")));
            NestedMaven.Result r = NestedMaven.run(buildDir, BUILD, args);
            assertEquals(0, r.exit(), "RUN " + i.args() + " failed in a folder holding only what the stage copies:\n"
                + r.output());
          }
        }
        default -> { }
      }
    }

    Path appDir = null;
    Map<String, String> env = new LinkedHashMap<>();
    JsonArray entrypoint = null;
    JsonArray healthcheck = null;
    for (Instruction i : run) {
      switch (i.keyword()) {
        case "WORKDIR" -> appDir = Files.createDirectories(root.resolve(i.args().substring(1)));
        case "COPY" -> copy(i.args(), root, appDir);
        case "ENV" -> env(i.args(), env);
        case "ENTRYPOINT" -> entrypoint = new JsonArray(i.args());
        case "HEALTHCHECK" -> healthcheck = new JsonArray(i.args().substring(i.args().indexOf("CMD ") + 4));
        default -> { }
      }
    }
    assertTrue(entrypoint != null && healthcheck != null, "the final stage has an ENTRYPOINT and a HEALTHCHECK");

    int port = Ports.free();
    try (RedisServer redis = RedisServer.ephemeral().start()) {
      env.putAll(Map.of("SB_JWT_SECRET", SECRET, "SB_REDIS_URL", redis.url(), "SB_HTTP_HOST", "127.0.0.1",
          "SB_HTTP_PORT", String.valueOf(port), "SB_LOG_FORMAT", "json"));
      Path log = root.resolve("node.log");
      Process node = start(inApp(entrypoint, appDir), env, log);
      try {
        awaitHealthy(inApp(healthcheck, appDir), env, node, log);
        String first = Files.readAllLines(log).get(0);
        assertTrue(first.startsWith("{"), "the image's first log line is not JSON: " + first);
        node.destroy();
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "SIGTERM did not stop the node");
        assertEquals(0, node.exitValue(), "the node did not drain and exit 0 on SIGTERM:\n" + Files.readString(log));
      } finally {
        node.destroyForcibly();
      }
    }
  }

  /** Instructions by stage ("build" for {@code AS build}, "run" for the last), continuation lines joined. */
  static Map<String, List<Instruction>> stages(List<String> lines) {
    Map<String, List<Instruction>> stages = new LinkedHashMap<>();
    List<Instruction> current = null;
    StringBuilder pending = new StringBuilder();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith("#") || line.isEmpty() && pending.length() == 0) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      String whole = pending.append(line).toString();
      pending.setLength(0);
      String keyword = whole.split("\\s+", 2)[0].toUpperCase();
      String args = whole.substring(keyword.length()).strip();
      if (keyword.equals("FROM")) {
        Matcher as = Pattern.compile("(?i)\\s+AS\\s+(\\S+)$").matcher(args);
        current = new ArrayList<>();
        stages.remove("run");
        stages.put(as.find() ? as.group(1) : "run", current);
      } else if (current != null) {
        current.add(new Instruction(keyword, args));
      }
    }
    return stages;
  }

  /**
   * {@code COPY [--from=stage] src... dest}: sources from the build context (the repository), or
   * with {@code --from} from {@code root}, the filesystem the build stage left.
   */
  private static void copy(String args, Path root, Path workdir) throws IOException {
    List<String> parts = new ArrayList<>(List.of(args.split("\\s+")));
    Path base = Path.of(".");
    if (parts.get(0).startsWith("--from=")) {
      parts.remove(0);
      base = root;
    }
    String dest = parts.remove(parts.size() - 1);
    for (String source : parts) {
      Path src = source.startsWith("/") ? base.resolve(source.substring(1)) : base.resolve(source);
      Path target = dest.endsWith("/") ? workdir.resolve(dest).resolve(src.getFileName().toString()) : workdir.resolve(dest);
      copyTree(src, target.normalize());
    }
  }

  private static void copyTree(Path src, Path target) throws IOException {
    assertTrue(Files.exists(src), "COPY names " + src + ", which does not exist");
    try (Stream<Path> files = Files.walk(src)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path rel = src.relativize(p);
        boolean ignored = false;
        for (Path segment : rel) {
          ignored |= IGNORED.contains(segment.toString());
        }
        if (ignored) {
          continue;
        }
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(p, to);
        }
      }
    }
  }

  /** {@code ENV KEY="value"} or {@code ENV KEY value}. */
  private static void env(String args, Map<String, String> env) {
    Matcher m = Pattern.compile("^(\\w+)[= ]\"?(.*?)\"?$").matcher(args);
    assertTrue(m.matches(), "ENV " + args);
    env.put(m.group(1), m.group(2));
  }

  /** The command with the image's /app replaced by the test's folder. */
  private static List<String> inApp(JsonArray command, Path appDir) {
    List<String> out = new ArrayList<>();
    command.forEach(part -> out.add(((String) part).replace("/app/", appDir + "/")));
    return out;
  }

  /** As the image would: the variables it sets, java of this JDK first on the PATH, nothing from the machine's JVM options. */
  private static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    environment(pb, env);
    return pb.start();
  }

  private static void environment(ProcessBuilder pb, Map<String, String> env) {
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + pb.environment().get("PATH"));
  }

  private static void awaitHealthy(List<String> check, Map<String, String> env, Process node, Path log) throws Exception {
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!node.isAlive()) {
        fail("the node exited with " + node.exitValue() + ":\n" + Files.readString(log));
      }
      ProcessBuilder pb = new ProcessBuilder(check).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      environment(pb, env);
      Process p = pb.start();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      p.destroyForcibly();
      node.waitFor(500, TimeUnit.MILLISECONDS);
    }
    fail("the HEALTHCHECK never passed within " + START + ":\n" + Files.readString(log));
  }
}
