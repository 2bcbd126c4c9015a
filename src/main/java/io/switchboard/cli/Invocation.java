package io.switchboard.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * What a command runs with: its own arguments, the node options given before it (the Docker image's
 * entry point puts {@code -conf} there), the environment, and where to write.
 */
record Invocation(List<String> args, Options.Parsed nodeOptions, Map<String, String> env, PrintStream out, PrintStream err) {

  /** Reads the command's arguments ({@link Cli} has answered {@code -h}/{@code --help} among them already). */
  Options.Parsed options(Options spec) {
    return spec.read(args, 0, false);
  }

  /** The command's value of an option it shares with the node (-conf), else the node's. */
  String nodeOption(Options.Parsed own, String name) {
    return own.has(name) ? own.get(name) : nodeOptions.get(name);
  }
}
