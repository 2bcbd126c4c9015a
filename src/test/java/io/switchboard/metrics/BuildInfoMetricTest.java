package io.switchboard.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.BuildInfo;
import io.switchboard.Nodes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code switchboard_build_info}: the version the build wrote, as {@code switchboard.jar version} prints it. */
class BuildInfoMetricTest {

  @Test
  void theVersionIsTheMavenProjects() throws Exception {
    Matcher m = Pattern.compile("<artifactId>switchboard</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml names its version");
    assertEquals(m.group(1), BuildInfo.version());
  }

  @Test
  void everyNodesRegistryExportsIt() {
    PrometheusMeterRegistry registry = Nodes.newRegistry();
    try {
      String line = "switchboard_build_info{java=\"" + Runtime.version() + "\",version=\"" + BuildInfo.version() + "\"} 1";
      assertTrue(registry.scrape().contains("\n" + line + "\n"), registry.scrape());
    } finally {
      registry.close();
    }
  }
}
