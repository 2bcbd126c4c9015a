package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Builds {@link SwitchboardOptions} from a JSON file's content and the environment.
 * Precedence: built-in defaults, then the file, then {@code SB_*} environment variables.
 */
public final class ConfigLoader {

  /** Environment variables with this prefix are Switchboard settings. */
  public static final String ENV_PREFIX = "SB_";

  private ConfigLoader() {
  }

  /**
   * @param file the parsed {@code -conf} file, or null when none was given
   * @param env  the process environment (a map so tests can pass their own)
   * @throws ConfigException naming the offending key when anything is wrong
   */
  public static SwitchboardOptions load(JsonObject file, Map<String, String> env) {
    JsonObject root = file == null ? new JsonObject() : file.copy();
    rejectUnknownKeys(root);
    rejectUnknownVariables(env);
    Set<Setting> fromEnv = EnumSet.noneOf(Setting.class);
    for (Setting s : Setting.values()) {
      String text = envValue(s, env);
      if (text != null) {
        JsonObject section = root.getJsonObject(s.section());
        if (section == null) {
          section = new JsonObject();
          root.put(s.section(), section);
        }
        section.put(s.field(), parseEnv(s, text));
        fromEnv.add(s);
      }
    }
    SwitchboardOptions options = SwitchboardOptions.read(new ConfigReader(root, fromEnv));
    options.validate();
    return options;
  }

  /**
   * What {@code java -jar switchboard.jar} checks at start, before Vert.x runs: {@link #load} plus the
   * rules that depend on the command line. {@code check-config} calls this too, so it accepts exactly
   * what a node would.
   *
   * @param clustered whether {@code -cluster} was given
   */
  public static SwitchboardOptions load(JsonObject file, Map<String, String> env, boolean clustered) {
    SwitchboardOptions options = load(file, env);
    if (clustered && StoreOptions.MEMORY.equals(options.getStore().resolvedType(true))) {
      throw new ConfigException(Setting.STORE_TYPE.key(), StoreOptions.CLUSTERED_MEMORY_STORE);
    }
    return options;
  }

  /** The setting's environment variable, trimmed; null when unset or blank (blank leaves the setting alone). */
  static String envValue(Setting s, Map<String, String> env) {
    String text = env.get(s.env());
    return text == null || text.isBlank() ? null : text.trim();
  }

  private static void rejectUnknownKeys(JsonObject root) {
    Set<String> sections = Arrays.stream(Setting.values()).map(Setting::section).collect(Collectors.toSet());
    for (Map.Entry<String, Object> section : root) {
      if (!sections.contains(section.getKey())) {
        throw new ConfigException(section.getKey(), "unknown configuration section (expected one of "
            + new TreeSet<>(sections) + ")");
      }
      if (!(section.getValue() instanceof JsonObject)) {
        throw new ConfigException(section.getKey(), "must be an object of settings");
      }
      for (Map.Entry<String, Object> field : (JsonObject) section.getValue()) {
        String key = section.getKey() + "." + field.getKey();
        if (Setting.byKey(key).isEmpty()) {
          throw new ConfigException(key, "unknown configuration key (see docs/configuration.md)");
        }
      }
    }
  }

  /** A misspelt SB_* variable must not leave a default in place silently, any more than a file key. */
  private static void rejectUnknownVariables(Map<String, String> env) {
    Set<String> known = Arrays.stream(Setting.values()).map(Setting::env).collect(Collectors.toSet());
    for (String name : new TreeSet<>(env.keySet())) {
      if (name.startsWith(ENV_PREFIX) && !known.contains(name)) {
        throw new ConfigException(name, "unknown environment variable (the SB_ prefix is Switchboard's; see docs/configuration.md)");
      }
    }
  }

  private static Object parseEnv(Setting s, String text) {
    switch (s.type()) {
      case INTEGER:
      case LONG:
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          throw new ConfigException(s.key(), "must be a whole number, got \"" + text + "\" (from environment variable " + s.env() + ")");
        }
      case BOOLEAN:
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
          return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
          return false;
        }
        throw new ConfigException(s.key(), "must be true or false, got \"" + text + "\" (from environment variable " + s.env() + ")");
      case LIST:
        JsonArray list = new JsonArray();
        Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).forEach(list::add);
        return list;
      default:
        return text;
    }
  }
}
