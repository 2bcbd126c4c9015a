package io.switchboard.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

/** One run of {@link Cli} with the given environment, what it wrote, and its exit status (-1: a node would start). */
record CliRun(int status, String out, String err) {

  static final int NODE = -1;

  static CliRun run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OptionalInt status = new Cli(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    return new CliRun(status.orElse(NODE), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static CliRun run(String... args) {
    return run(Map.of(), args);
  }

  @Override
  public String toString() {
    return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
  }
}
