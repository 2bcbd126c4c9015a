package io.switchboard.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code -conf} argument, checked before the Vert.x launcher reads it. The launcher takes a file
 * holding a JSON object, or a JSON object itself; given anything else (a wrong path, a file with a
 * syntax error) it only logs a warning and starts on the defaults, so a typo in production would give
 * a node on 127.0.0.1 with the in-memory store. Here it stops the node instead.
 */
public final class ConfArgument {

  /** How the problem is reported: the argument is the "key" an operator fixes. */
  static final String KEY = "-conf";

  private ConfArgument() {
  }

  /** @throws ConfigException naming the file and what is wrong with it */
  public static void check(String[] args) {
    read(value(args));
  }

  /**
   * The object {@code -conf value} stands for, read as the Vert.x launcher reads it (a file, or the
   * JSON text itself; the same parser, which skips comments); null when value is null.
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  public static JsonObject read(String value) {
    if (value == null) {
      return null;
    }
    Path file = Path.of(value);
    if (Files.isRegularFile(file)) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new ConfigException(KEY, value + ": cannot be read: " + e.getMessage());
      }
      return parse(text, value + " is not a JSON object: ");
    }
    if (value.trim().startsWith("{")) {
      return parse(value, "the argument is not a JSON object: ");
    }
    throw new ConfigException(KEY, value + ": no such file (give the path of a JSON file, or a JSON object)");
  }

  /** The value of {@code -conf}/{@code --conf} (also written {@code -conf=value}); null without one. */
  static String value(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-conf") || a.equals("--conf")) {
        if (i + 1 >= args.length) {
          throw new ConfigException(KEY, "no value given (give the path of a JSON file, or a JSON object)");
        }
        return args[i + 1];
      }
      if (a.startsWith("-conf=") || a.startsWith("--conf=")) {
        return a.substring(a.indexOf('=') + 1);
      }
    }
    return null;
  }

  private static JsonObject parse(String text, String prefix) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(KEY, prefix + e.getMessage());
    }
  }
}
