package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Typed access to the merged configuration tree. Every failure names the key, and says which
 * environment variable it came from when it came from one.
 */
final class ConfigReader {

  /** Settings whose values are credentials: an error about them says what type came, never the value. */
  private static final Set<Setting> SECRETS = EnumSet.of(Setting.AUTH_JWT_SECRET, Setting.API_KEYS, Setting.REDIS_URL,
      Setting.BACKEND_SECRETS);

  private final JsonObject root;
  private final Set<Setting> fromEnv;

  ConfigReader(JsonObject root, Set<Setting> fromEnv) {
    this.root = root;
    this.fromEnv = fromEnv;
  }

  String string(Setting s, String def) {
    Object v = raw(s);
    if (v == null) {
      return def;
    }
    if (!(v instanceof String)) {
      throw fail(s, "must be a string, got " + describe(s, v));
    }
    return (String) v;
  }

  int integer(Setting s, int def, int min, int max) {
    long v = longValue(s, def, min, max);
    return (int) v;
  }

  long longValue(Setting s, long def, long min, long max) {
    Object v = raw(s);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Number) || v instanceof Double || v instanceof Float) {
      throw fail(s, "must be a whole number, got " + describe(s, v));
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw fail(s, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  Boolean bool(Setting s, Boolean def) {
    Object v = raw(s);
    if (v == null) {
      return def;
    }
    if (!(v instanceof Boolean)) {
      throw fail(s, "must be true or false, got " + describe(s, v));
    }
    return (Boolean) v;
  }

  List<String> list(Setting s, List<String> def) {
    Object v = raw(s);
    if (v == null) {
      return def;
    }
    if (v instanceof String) {
      // a single value where a list is expected is a list of one
      return new ArrayList<>(List.of((String) v));
    }
    if (!(v instanceof JsonArray)) {
      throw fail(s, "must be a list of strings, got " + describe(s, v));
    }
    List<String> out = new ArrayList<>();
    for (Object item : (JsonArray) v) {
      if (!(item instanceof String)) {
        throw fail(s, "must be a list of strings, got an element " + describe(s, item));
      }
      out.add((String) item);
    }
    return out;
  }

  ConfigException fail(Setting s, String message) {
    String origin = fromEnv.contains(s) ? " (from environment variable " + s.env() + ")" : "";
    return new ConfigException(s.key(), message + origin);
  }

  private Object raw(Setting s) {
    JsonObject section = root.getJsonObject(s.section());
    return section == null ? null : section.getValue(s.field());
  }

  private static String describe(Setting s, Object v) {
    if (SECRETS.contains(s)) {
      return v == null ? "null" : "a value of type " + v.getClass().getSimpleName();
    }
    if (v instanceof String) {
      return "\"" + v + "\"";
    }
    return String.valueOf(v);
  }
}
