package io.switchboard.client.internal;

import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/** org.json as Android 21 has it: nothing newer (the build's Android API check holds it to that). */
public final class Json {
  private Json() {
  }

  /** Any JSON value as text: a JSONObject, JSONArray, String, Number, Boolean, JSONObject.NULL or null. */
  public static String stringify(Object value) {
    String s = new JSONArray().put(wrap(value)).toString();
    return s.substring(1, s.length() - 1);
  }

  /** A value the application gave as a body: JSON types as they are, maps and collections wrapped. */
  public static Object wrap(Object value) {
    if (value == null) {
      return JSONObject.NULL;
    }
    // JSON types, maps, collections and arrays only: the JVM's org.json would also turn any bean
    // into an object, Android's refuses it; the same code must send the same thing on both
    if (!(value instanceof JSONObject || value instanceof JSONArray || value instanceof String
        || value instanceof Number || value instanceof Boolean || value == JSONObject.NULL
        || value instanceof java.util.Map || value instanceof java.util.Collection || value.getClass().isArray())) {
      throw new IllegalArgumentException("not a JSON value (JSONObject, JSONArray, String, Number, Boolean, null, "
          + "Map, Collection or array): " + value.getClass().getName());
    }
    Object w = JSONObject.wrap(value);
    if (w == null) {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
    return w;
  }

  /** A JSON value from text (the stored outbox keeps bodies as text). */
  public static Object parseValue(String text) throws JSONException {
    return new JSONArray("[" + text + "]").get(0);
  }

  /** A frame from the node, or null when it is not a JSON object. */
  public static JSONObject parseObject(String text) {
    try {
      Object v = parseValue(text);
      return v instanceof JSONObject ? (JSONObject) v : null;
    } catch (JSONException e) {
      return null;
    }
  }

  public static JSONObject object() {
    return new JSONObject();
  }

  public static JSONObject put(JSONObject o, String key, Object value) {
    try {
      return o.put(key, value);
    } catch (JSONException e) {
      // only a non-finite double or a null key: neither is ever passed
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A string field, or null when absent or not a string. */
  public static String string(JSONObject o, String key) {
    Object v = o.opt(key);
    return v instanceof String ? (String) v : null;
  }

  /** An integral number field, or {@code fallback}. */
  public static long number(JSONObject o, String key, long fallback) {
    Object v = o.opt(key);
    if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      if (d == Math.floor(d) && !Double.isInfinite(d)) {
        return ((Number) v).longValue();
      }
    }
    return fallback;
  }
}
