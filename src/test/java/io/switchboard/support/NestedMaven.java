package io.switchboard.support;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Maven build run by an IT: the same Maven, JDK and local repository as the build running the
 * test (failsafe passes them, see pom.xml), offline when that build is, so nothing is fetched that
 * it did not fetch already. Its output goes to a file beside the project and is printed.
 */
public final class NestedMaven {

  public record Result(int exit, String output) {
  }

  private NestedMaven() {
  }

  /** Runs {@code mvn -B <args>} in {@code project}; fails the test when it outlives {@code deadline}. */
  public static Result run(Path project, Duration deadline, List<String> args) throws Exception {
    String mavenHome = System.getProperty("maven.home");
    List<String> cmd = new ArrayList<>();
    cmd.add(mavenHome == null ? "mvn" : mavenHome + File.separator + "bin" + File.separator + "mvn");
    cmd.add("-B");
    if ("--offline".equals(System.getProperty("client.java.offline"))) {
      cmd.add("--offline");
    }
    String repo = System.getProperty("maven.repo.local");
    if (repo != null) {
      cmd.add("-Dmaven.repo.local=" + repo);
    }
    cmd.addAll(args);

    Path log = project.resolveSibling(project.getFileName() + "-mvn.log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    System.out.println("[nested maven] $ " + String.join(" ", cmd) + "   (in " + project + ")");
    Process p = pb.start();
    if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
      // its forks too: nothing of a hung build may outlive the test
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      fail("mvn " + String.join(" ", args) + " did not finish within " + deadline + ":\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    System.out.println("[nested maven] exit " + p.exitValue());
    return new Result(p.exitValue(), output);
  }
}
