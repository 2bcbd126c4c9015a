package io.switchboard.cli;

import io.switchboard.BuildInfo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the command line is read: what starts a node, what runs a command, what is a usage error (64). */
class CliTest {

  @Test
  void theNodesOwnArgumentsStillStartANode() {
    String[][] nodes = {
        {},
        {"-cluster"},
        {"-c"},
        {"--cluster", "-conf", "conf/config.json"},
        {"-conf=conf/config.json"},
        {"--conf", "{\"http\": {\"port\": 9000}}"},
        {"-cluster", "-cluster-host", "10.0.0.5", "-cluster-port", "15701", "-options", "{}"},
        {"--cluster-public-host=node-1.example", "--cluster-public-port=15701", "-vertx-options", "{}"},
    };
    for (String[] args : nodes) {
      CliRun r = CliRun.run(args);
      assertEquals(CliRun.NODE, r.status(), String.join(" ", args) + ": " + r);
      assertEquals("", r.out() + r.err());
    }
  }

  @Test
  void helpInEverySpellingPrintsSwitchboardsUsage() {
    for (String[] args : new String[][] {{"help"}, {"-h"}, {"--help"}, {"-help"}, {"-conf", "x.json", "--help"},
        {"check-config", "--help"}, {"gen-token", "-h"}}) {
      CliRun r = CliRun.run(args);
      assertEquals(0, r.status(), String.join(" ", args) + ": " + r);
      for (String command : new String[] {"version", "check-config", "gen-config", "gen-token", "-conf", "-cluster"}) {
        assertTrue(r.out().contains(command), "usage names " + command + ":\n" + r.out());
      }
      assertTrue(r.out().contains("docs/cli.md"), r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void versionInEverySpellingPrintsTheBuildsVersionAndTheJavaRuntime() {
    for (String[] args : new String[][] {{"version"}, {"--version"}, {"-version"}}) {
      CliRun r = CliRun.run(args);
      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().startsWith("switchboard " + BuildInfo.version() + "\n"), r.out());
      assertTrue(r.out().contains("java " + Runtime.version()), r.out());
    }
  }

  @Test
  void unknownCommandsAndOptionsPrintTheUsageAndExit64() {
    Object[][] cases = {
        {new String[] {"start"}, "unknown command \"start\""},
        {new String[] {"-foo"}, "unknown option -foo"},
        {new String[] {"-cluster", "--verbose"}, "unknown option --verbose"},
        // Vert.x launcher options that would deploy the node wrongly
        {new String[] {"-instances", "4"}, "unknown option -instances"},
        {new String[] {"-worker"}, "unknown option -worker"},
        {new String[] {"-conf"}, "-conf needs a value"},
        {new String[] {"-cluster=yes"}, "-cluster takes no value"},
        {new String[] {"version", "--short"}, "unknown option --short"},
        {new String[] {"gen-config", "extra"}, "unexpected argument \"extra\""},
        {new String[] {"check-config", "--strict"}, "unknown option --strict"},
        {new String[] {"gen-token", "--user"}, "--user needs a value"},
        {new String[] {"gen-token"}, "gen-token needs --user"},
    };
    for (Object[] c : cases) {
      String[] args = (String[]) c[0];
      CliRun r = CliRun.run(args);
      assertEquals(Cli.EXIT_USAGE, r.status(), String.join(" ", args) + ": " + r);
      assertTrue(r.err().startsWith("switchboard: " + c[1] + "\n"), String.join(" ", args) + ": " + r);
      assertTrue(r.err().contains("Usage: java -jar switchboard.jar"), r.toString());
      assertEquals("", r.out());
    }
  }

  /** The Docker image's entry point passes -conf first: {@code docker run image check-config}. */
  @Test
  void nodeOptionsBeforeACommandApplyToIt() throws Exception {
    Path conf = Files.createTempFile("cli-test", ".json");
    try {
      Files.writeString(conf, "{\"http\": {\"port\": 9123}}");
      CliRun r = CliRun.run(Map.of(), "-conf", conf.toString(), "check-config");
      assertEquals(0, r.status(), r.toString());
      assertTrue(r.out().contains("-conf " + conf), r.out());
      assertTrue(r.out().matches("(?s).*\\nhttp\\.port +9123 +file\\n.*"), r.out());
      // the command's own -conf wins
      CliRun own = CliRun.run(Map.of(), "-conf", conf.toString(), "check-config", "-conf", "{\"http\": {\"port\": 9124}}");
      assertTrue(own.out().matches("(?s).*\\nhttp\\.port +9124 +file\\n.*"), own.out());
      // and -cluster before it too: the clustered node's rule applies
      CliRun clustered = CliRun.run(Map.of("SB_STORE", "memory"), "-cluster", "-conf", conf.toString(), "check-config");
      assertEquals(78, clustered.status(), clustered.toString());
      // the commands that read no configuration ignore them
      assertEquals(0, CliRun.run(Map.of(), "-conf", conf.toString(), "gen-config").status());
    } finally {
      Files.delete(conf);
    }
  }
}
