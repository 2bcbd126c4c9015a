package io.switchboard.client;

import io.switchboard.support.NestedMaven;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    NestedMaven.Result r = processClasses(project);

    assertNotEquals(0, r.exit(), "the build passed with a call to java.util.Optional:\n" + r.output());
    assertTrue(r.output().contains("Undefined reference: java.util.Optional"),
        "the build failed, but not on java.util.Optional:\n" + r.output());
    assertTrue(r.output().contains("UsesApisAndroid21Lacks.java"),
        "the failure does not name the offending file:\n" + r.output());
  }

  @Test
  void theClientItselfPasses(@TempDir Path dir) throws Exception {
    Path project = copyClientProject(dir);

    NestedMaven.Result r = processClasses(project);

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

  private static NestedMaven.Result processClasses(Path project) throws Exception {
    return NestedMaven.run(project, DEADLINE, List.of("-q", "process-classes"));
  }
}
