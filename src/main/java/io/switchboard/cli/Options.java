package io.switchboard.cli;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;

/**
 * The options a command line may hold: each has a name, its spellings ({@code -conf}, {@code --conf})
 * and whether it takes a value ({@code -conf FILE} or {@code -conf=FILE}). Anything else that starts
 * with {@code -} is a usage error naming it.
 */
final class Options {

  /** What {@link #read} found, by option name ("true" for a flag), and where it stopped. */
  record Parsed(Map<String, String> values, int next) {

    String get(String name) {
      return values.get(name);
    }

    boolean has(String name) {
      return values.containsKey(name);
    }
  }

  private final Map<String, String> names = new HashMap<>();
  private final Set<String> valued = new HashSet<>();

  Options flag(String name, String... spellings) {
    for (String s : spellings) {
      names.put(s, name);
    }
    return this;
  }

  Options value(String name, String... spellings) {
    valued.add(name);
    return flag(name, spellings);
  }

  /** The help flags every command takes: {@code -h}, {@code -help}, {@code --help}. */
  Options withHelp() {
    return flag("help", "-h", "-help", "--help");
  }

  /**
   * Reads options from {@code args[from]} on. At the first argument that is not an option it stops
   * when {@code stopAtWord} (it is a command), and fails otherwise. A repeated option keeps its last value.
   */
  Parsed read(List<String> args, int from, boolean stopAtWord) {
    Map<String, String> values = new LinkedHashMap<>();
    int i = from;
    while (i < args.size()) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-")) {
        if (stopAtWord) {
          break;
        }
        throw CliException.usage("unexpected argument \"" + arg + "\"");
      }
      int eq = arg.indexOf('=');
      String spelling = eq > 0 ? arg.substring(0, eq) : arg;
      String name = names.get(spelling);
      if (name == null) {
        throw CliException.usage("unknown option " + spelling);
      }
      if (!valued.contains(name)) {
        if (eq > 0) {
          throw CliException.usage(spelling + " takes no value");
        }
        values.put(name, "true");
        i++;
      } else if (eq > 0) {
        values.put(name, arg.substring(eq + 1));
        i++;
      } else {
        if (i + 1 >= args.size()) {
          throw CliException.usage(spelling + " needs a value");
        }
        values.put(name, args.get(i + 1));
        i += 2;
      }
    }
    return new Parsed(values, i);
  }
}
