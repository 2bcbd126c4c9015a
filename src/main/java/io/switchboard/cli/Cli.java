package io.switchboard.cli;

import io.switchboard.Launcher;
import io.switchboard.config.ConfigException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * {@code java -jar switchboard.jar [node options] [command [options]]}: runs a command, or says that
 * the arguments are a node's to run. Nothing here starts Vert.x, binds a port or connects to Redis.
 */
public final class Cli {

  /** Exit status for wrong arguments (EX_USAGE in sysexits.h). */
  public static final int EXIT_USAGE = 64;

  /**
   * The node's options: Switchboard's own ({@code -conf}, {@code -cluster}) and those of the Vert.x
   * launcher that fit a node; the launcher's others ({@code -instances}, {@code -worker}, ...) would
   * deploy the node wrongly, and are refused as unknown.
   */
  static final Options NODE = new Options()
      .value("conf", "-conf", "--conf")
      .flag("cluster", "-c", "-cluster", "--cluster")
      .value("options", "-options", "--options", "-vertx-options", "--vertx-options")
      .value("cluster-host", "-cluster-host", "--cluster-host")
      .value("cluster-port", "-cluster-port", "--cluster-port")
      .value("cluster-public-host", "-cluster-public-host", "--cluster-public-host")
      .value("cluster-public-port", "-cluster-public-port", "--cluster-public-port")
      .flag("version", "-version", "--version")
      .withHelp();

  private static final Map<String, Command> COMMANDS = Map.of(
      "help", new HelpCommand(),
      "version", new VersionCommand(),
      "check-config", new CheckConfigCommand(),
      "gen-config", new GenConfigCommand(),
      "gen-token", new GenTokenCommand());

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public Cli(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** @return the exit status of the command that ran, or empty when the arguments start a node */
  public OptionalInt run(String[] args) {
    List<String> all = Arrays.asList(args);
    try {
      Options.Parsed node = NODE.read(all, 0, true);
      String name = node.has("help") ? "help" : node.has("version") ? "version" : null;
      if (name == null && node.next() == all.size()) {
        return OptionalInt.empty();
      }
      List<String> rest = all.subList(node.next(), all.size());
      if (name == null) {
        name = rest.get(0);
        rest = rest.subList(1, rest.size());
      }
      Command command = COMMANDS.get(name);
      if (command == null) {
        throw CliException.usage("unknown command \"" + name + "\"");
      }
      Invocation invocation = new Invocation(rest, node, env, out, err);
      if (rest.stream().anyMatch(a -> a.equals("-h") || a.equals("-help") || a.equals("--help"))) {
        return OptionalInt.of(new HelpCommand().run(invocation));
      }
      return OptionalInt.of(command.run(invocation));
    } catch (CliException e) {
      err.println("switchboard: " + e.getMessage());
      if (e.status() == EXIT_USAGE) {
        err.println();
        err.print(Usage.TEXT);
      }
      return OptionalInt.of(e.status());
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return OptionalInt.of(Launcher.EXIT_CONFIG);
    } finally {
      out.flush();
      err.flush();
    }
  }
}
