package io.switchboard.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Where a setting's value comes from, by the loader's precedence: the environment over the
 * {@code -conf} file over the built-in default. A value of null in the file is no value.
 */
public enum SettingSource {
  DEFAULT, FILE, ENV;

  public static SettingSource of(Setting s, JsonObject file, Map<String, String> env) {
    if (ConfigLoader.envValue(s, env) != null) {
      return ENV;
    }
    return fileValue(s, file) != null ? FILE : DEFAULT;
  }

  /** What the environment or the file says for the setting, as written; null for a default. */
  public static Object raw(Setting s, JsonObject file, Map<String, String> env) {
    String text = ConfigLoader.envValue(s, env);
    return text != null ? text : fileValue(s, file);
  }

  private static Object fileValue(Setting s, JsonObject file) {
    Object section = file == null ? null : file.getValue(s.section());
    return section instanceof JsonObject ? ((JsonObject) section).getValue(s.field()) : null;
  }
}
