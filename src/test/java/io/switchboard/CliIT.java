package io.switchboard;

import io.switchboard.support.NodeProcess;
import io.switchboard.support.Ports;
import io.switchboard.support.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar's commands as an operator runs them: {@code java -jar target/switchboard.jar COMMAND}. */
class CliIT {

  static final String SECRET = "cli-it-secret-0123456789abcdefghijklmno";

  /** A command's exit status and what it wrote on standard output and standard error, apart. */
  record Run(int exit, String out, String err) {
  }

  @Test
  void versionPrintsTheBuildsVersionAndTheJavaRuntime(@TempDir Path dir) throws Exception {
    Run r = jar(dir, List.of("version"), Map.of());
    assertEquals(0, r.exit(), r.toString());
    assertTrue(r.out().startsWith("switchboard " + BuildInfo.version() + "\njava "), r.out());
    assertFalse(BuildInfo.version().equals(BuildInfo.UNKNOWN), "the build wrote its version");
  }

  @Test
  void helpIsSwitchboardsAndAnUnknownCommandIsAUsageError(@TempDir Path dir) throws Exception {
    Run help = jar(dir, List.of("--help"), Map.of());
    assertEquals(0, help.exit(), help.toString());
    assertTrue(help.out().contains("check-config") && !help.out().contains("VertxApplication"), help.out());
    Run wrong = jar(dir, List.of("-version-please"), Map.of());
    assertEquals(64, wrong.exit(), wrong.toString());
    assertTrue(wrong.err().startsWith("switchboard: unknown option -version-please"), wrong.err());
  }

  @Test
  void checkConfigPrintsAValidConfigurationMaskedAndExits78NamingTheKeyOfABadOne(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "0.0.0.0"))
        .put("auth", new JsonObject().put("jwtSecret", SECRET))
        .put("redis", new JsonObject().put("url", "redis://:hunter2-redis@127.0.0.1:" + Ports.free())).encodePrettily());
    // clustered, on a Redis where nothing listens: check-config starts no node, joins no cluster, connects nowhere
    Run ok = jar(dir, List.of("check-config", "-conf", good.toString(), "-cluster"), Map.of("SB_HTTP_PORT", "9000"));
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().matches("(?s).*\\nauth\\.jwtSecret +\\*\\*\\* \\(" + SECRET.length() + " characters\\) +file\\n.*"), ok.out());
    assertTrue(ok.out().matches("(?s).*\\nhttp\\.port +9000 +env SB_HTTP_PORT\\n.*"), ok.out());
    assertFalse(ok.out().contains(SECRET) || ok.out().contains("hunter2"), "secrets masked:\n" + ok.out());
    assertEquals("", ok.err(), "nothing started, nothing logged");
    assertFalse(ok.out().contains("listening on") || ok.out().contains("Members {"), ok.out());

    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"http\": {\"port\": \"eighty\"}}");
    Run invalid = jar(dir, List.of("check-config", "-conf", bad.toString()), Map.of());
    assertEquals(78, invalid.exit(), invalid.toString());
    assertTrue(invalid.err().startsWith("Invalid configuration: http.port: must be a whole number"), invalid.err());
  }

  /**
   * The whole path: gen-config's file passes check-config and, edited as an operator would, starts a
   * node as it is (the Vert.x launcher reads it: the edit shows), a token from gen-token gets a
   * welcome from that node, and the node exports its version.
   */
  @Test
  void aGeneratedConfigAndTokenWorkOnARealNode(@TempDir Path dir) throws Exception {
    Run gen = jar(dir, List.of("gen-config"), Map.of());
    assertEquals(0, gen.exit(), gen.toString());
    Path generated = Files.writeString(dir.resolve("generated.json"), gen.out());
    Run check = jar(dir, List.of("check-config", "-conf", generated.toString()), Map.of());
    assertEquals(0, check.exit(), check.toString());
    // outside dev mode the demo page is off unless the file turns it on
    assertTrue(gen.out().contains("\"demoPage\": null,"), gen.out());
    Path conf = Files.writeString(dir.resolve("switchboard.json"), gen.out().replace("\"demoPage\": null,", "\"demoPage\": true,"));
    check = jar(dir, List.of("check-config", "-conf", conf.toString()), Map.of("SB_JWT_SECRET", SECRET));
    assertEquals(0, check.exit(), check.toString());
    assertTrue(check.out().matches("(?s).*\\nhttp\\.demoPage +true +file\\n.*"), check.out());

    Run token = jar(dir, List.of("gen-token", "--user", "alice", "--rooms", "lobby", "--ttl", "10m"), Map.of("SB_JWT_SECRET", SECRET));
    assertEquals(0, token.exit(), token.toString());

    try (NodeProcess node = NodeProcess.start("cli-it", List.of("-conf", conf.toString()), Map.of("SB_JWT_SECRET", SECRET))
        .awaitReady()) {
      assertEquals(200, node.get("/").statusCode(), "the file's demoPage: true reached the node");
      Vertx vertx = Vertx.vertx();
      try (WsClient client = WsClient.connect(vertx, node.port(), "/ws", Map.of(), 1 << 20)) {
        JsonObject welcome = client.hello(token.out().trim(), null, null);
        assertEquals("alice", welcome.getString("user"), welcome.encode());
        assertEquals("lobby", client.join("lobby").getString("room"));
      } finally {
        vertx.close().await();
      }
      String metrics = node.get("/metrics").body();
      assertTrue(metrics.contains("switchboard_build_info{java=\"" + Runtime.version() + "\",version=\"" + BuildInfo.version() + "\"} 1"),
          metrics.lines().filter(l -> l.contains("build_info")).toList().toString());
    }
  }

  /** Runs the jar to its end, with no SB_* variable but those given. */
  private static Run jar(Path dir, List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    String jar = System.getProperty("switchboard.jar", "target/switchboard.jar");
    List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
        "-Xmx256m", "-jar", jar));
    command.addAll(args);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SB_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", args) + " still running after 60 s:\n" + Files.readString(out) + Files.readString(err));
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }
}
