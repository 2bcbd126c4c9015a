package io.switchboard.client;

import io.switchboard.support.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The JavaScript client's tests ({@code clients/js/test/*.test.mjs}, Node's test runner) against real
 * nodes started here from the fat jar: one file per dynamic test, its output in this test's report
 * and a JUnit XML per file in target/js-reports. Skips without Node.js unless -Djs.required=true.
 */
class JsClientIT {

  static NodeProcess[] nodes;

  @AfterAll
  static void tearDown() throws IOException {
    if (nodes != null) {
      for (NodeProcess n : nodes) {
        n.close();
      }
    }
  }

  /** Reports the skip (or, with -Djs.required=true, the failure) as a test with its reason. */
  @Test
  void nodeAndNpmAreAvailable() {
    JsTools.requireNode();
  }

  @TestFactory
  Stream<DynamicTest> nodeTestsAgainstRealNodes() throws Exception {
    // here rather than in @BeforeAll, so that a skip is reported as a skipped test, with its reason
    JsTools.requireNode();
    JsTools.npmCi();
    nodes = JsTools.startNodes("js-it");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(JsTools.JS_DIR.resolve("test"))) {
      s.filter(p -> p.getFileName().toString().endsWith(".test.mjs")).sorted().forEach(files::add);
    }
    assertFalse(files.isEmpty(), "no clients/js/test/*.test.mjs");
    Path reports = Path.of("target", "js-reports").toAbsolutePath();
    JsTools.ensureReportDir(reports);
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      String name = file.getFileName().toString().replace(".test.mjs", "");
      List<String> cmd = List.of(JsTools.node(), "--test",
          "--test-reporter=spec", "--test-reporter-destination=stdout",
          "--test-reporter=junit", "--test-reporter-destination=" + reports.resolve(name + ".xml"),
          "test/" + file.getFileName());
      JsTools.Result r = JsTools.run(name, cmd, JsTools.env(nodes[0], nodes[1]), Duration.ofMinutes(6));
      assertEquals(0, r.exit(), "node --test " + file.getFileName() + " failed:\n" + r.tail()
          + "\n--- node A log ---\n" + tail(nodes[0].log()) + "\n--- node B log ---\n" + tail(nodes[1].log()));
    }));
  }

  static String tail(String log) {
    return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
  }
}
