package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/benchmarks.md says it is generated from bench/results/latest.json: it must be exactly what the
 * generator renders from that file (an edit by hand is lost at the next run), and its table of flags
 * must name every flag the bench accepts.
 */
class BenchmarksPageTest {

  private static final Path PAGE = Path.of("docs", "benchmarks.md");

  @Test
  void thePageIsWhatTheGeneratorRendersFromTheCommittedResults(@TempDir Path dir) throws Exception {
    JsonObject results = new JsonObject(Files.readString(Path.of("bench", "results", "latest.json")));
    new BenchmarksPage(new Report(results), results).write(dir);
    assertEquals(Files.readString(dir.resolve("benchmarks.md")), Files.readString(PAGE),
        "docs/benchmarks.md differs from what `java -jar bench/target/bench.jar report bench/results/latest.json docs` writes: "
            + "change BenchmarksPage or Report, then regenerate the page");
  }

  @Test
  void everyFlagTheBenchAcceptsIsDocumented() throws Exception {
    String options = Files.readString(Path.of("bench", "src", "main", "java", "io", "switchboard", "bench", "BenchOptions.java"));
    Matcher m = Pattern.compile("case \"(--[a-z-]+)\"").matcher(options);
    List<String> flags = m.results().map(r -> r.group(1)).toList();
    assertTrue(flags.size() > 20, "the flags were found in BenchOptions: " + flags);
    String page = Files.readString(PAGE);
    for (String flag : flags) {
      assertTrue(page.contains("`" + flag + "`"), flag + " is accepted by the bench but not in docs/benchmarks.md");
    }
  }
}
