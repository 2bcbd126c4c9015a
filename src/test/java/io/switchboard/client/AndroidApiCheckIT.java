package io.switchboard.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Java client's Android API check (animal-sniffer in clients/java/pom.xml, against Android API
 * level 21) fails the build on an API that Android 21 lacks. A check that never fails would pass the
 * client's build just the same, so this proves it on a copy of the client project with one offending
 * class added; the same copy without it is the control.
 */
class AndroidApiCheckIT {

  private static final Path CLIENT = Path.of("clients", "java").toAbsolutePath();
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  /** Java 8 has both; Android has them from API 24 only, so an app on Android 5–6 would crash. */
  private static final String OFFENDER = """
      package io.switchboard.client;

      import java.util.Optional;
      import java.util.concurrent.CompletableFuture;

      final class UsesApisAndroid21Lacks {
        static CompletableFuture<String> greeting() {
          return CompletableFuture.completedFuture(Optional.of("hello").get());
        }
      }
      """;

  @Test
  void aCallToAnApiAndroid21LacksFailsTheBuild(@TempDir Path dir) throws Exception {
    Path project = copyClientProject(dir);
    Files.writeString(project.resolve("src/main/java/io/switchboard/client/UsesApisAndroid21Lacks.java"), OFFENDER);

    Result r = processClasses(project);

    assertNotEquals(0, r.exit(), "the build passed with a call to java.util.Optional:\n" + r.output());
    assertTrue(r.output().contains("Undefined reference: java.util.Optional"),
        "the build failed, but not on java.util.Optional:\n" + r.output());
    assertTrue(r.output().contains("UsesApisAndroid21Lacks.java"),
        "the failure does not name the offending file:\n" + r.output());
  }

  @Test
  void theClientItselfPasses(@TempDir Path dir) throws Exception {
    Path project = copyClientProject(dir);

    Result r = processClasses(project);

    assertEquals(0, r.exit(), "the client's own sources fail the Android API check:\n" + r.output());
  }

  /** pom.xml and src/main only: process-classes (compile, then the check) needs nothing else. */
  private static Path copyClientProject(Path dir) throws IOException {
    Path project = dir.resolve("client");
    Files.createDirectories(project);
    Files.copy(CLIENT.resolve("pom.xml"), project.resolve("pom.xml"));
    Path main = CLIENT.resolve("src/main");
    try (Stream<Path> files = Files.walk(main)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = project.resolve("src/main").resolve(main.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    return project;
  }

  record Result(int exit, String output) {
  }

  /**
   * The same Maven, JDK and local repository as the build running this test (failsafe passes them),
   * offline when that build is, so nothing is fetched that it did not fetch already.
   */
  private static Result processClasses(Path project) throws Exception {
    String mavenHome = System.getProperty("maven.home");
    List<String> cmd = new ArrayList<>();
    cmd.add(mavenHome == null ? "mvn" : mavenHome + File.separator + "bin" + File.separator + "mvn");
    cmd.add("-B");
    cmd.add("-q");
    if ("--offline".equals(System.getProperty("client.java.offline"))) {
      cmd.add("--offline");
    }
    String repo = System.getProperty("maven.repo.local");
    if (repo != null) {
      cmd.add("-Dmaven.repo.local=" + repo);
    }
    cmd.add("process-classes");

    Path log = project.resolveSibling("mvn.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    System.out.println("[android-api-check] $ " + String.join(" ", cmd) + "   (in " + project + ")");
    Process p = pb.start();
    if (!p.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
      // its forks too: nothing of a hung build may outlive the test
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      fail("mvn process-classes did not finish within " + DEADLINE + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    System.out.println("[android-api-check] exit " + p.exitValue());
    return new Result(p.exitValue(), output);
  }
}
