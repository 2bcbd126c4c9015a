package io.switchboard.protocol;

import java.util.regex.Pattern;

/**
 * A destination stream: {@code user:<id>}, {@code room:<id>} or {@code all}.
 * Ids are restricted to characters that are safe in Redis keys, event-bus addresses and JSON
 * without escaping; in particular no braces, which would break Redis Cluster hash tags.
 */
public final class StreamName {

  public enum Kind { USER, ROOM, ALL }

  public static final String ALL = "all";
  public static final int MAX_ID_LENGTH = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@|+=-]{1," + MAX_ID_LENGTH + "}");

  private StreamName() {
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The stream name if valid, else null. */
  public static Kind kindOf(String stream) {
    if (stream == null) {
      return null;
    }
    if (stream.equals(ALL)) {
      return Kind.ALL;
    }
    if (stream.startsWith("user:") && isValidId(stream.substring(5))) {
      return Kind.USER;
    }
    if (stream.startsWith("room:") && isValidId(stream.substring(5))) {
      return Kind.ROOM;
    }
    return null;
  }

  public static String user(String id) {
    return "user:" + id;
  }

  public static String room(String id) {
    return "room:" + id;
  }

  /** The id part of a user or room stream. */
  public static String idOf(String stream) {
    int colon = stream.indexOf(':');
    return colon < 0 ? stream : stream.substring(colon + 1);
  }
}
