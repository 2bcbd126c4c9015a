package io.switchboard.protocol;

/**
 * A destination stream: {@code user:<id>}, {@code room:<id>} or {@code all}.
 * Ids are restricted to characters that are safe in Redis keys, event-bus addresses and JSON
 * without escaping; in particular no braces, which would break Redis Cluster hash tags.
 */
public final class StreamName {

  public enum Kind { USER, ROOM, ALL }

  public static final String ALL = "all";
  public static final int MAX_ID_LENGTH = 128;
  /** The characters of {@code [A-Za-z0-9_.:@|+=-]}: checked on every frame, so a table rather than a regex. */
  private static final boolean[] ID_CHAR = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ID_CHAR[c] = true;
      ID_CHAR[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      ID_CHAR[c] = true;
    }
    for (char c : "_.:@|+=-".toCharArray()) {
      ID_CHAR[c] = true;
    }
  }

  private StreamName() {
  }

  public static boolean isValidId(String id) {
    return id != null && validId(id, 0);
  }

  /** Whether {@code s} from {@code from} on is a valid id. */
  private static boolean validId(String s, int from) {
    int length = s.length() - from;
    if (length < 1 || length > MAX_ID_LENGTH) {
      return false;
    }
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !ID_CHAR[c]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code id} may not name a room although it is a valid id, or null when it may: a room id
   * that starts with a stream prefix ({@code room:lobby}) is a client's mistake for the bare id, and
   * taken as written it would name another room ({@code room:room:lobby}). A colon elsewhere is part
   * of the id ({@code team:42}).
   *
   * @param field how the caller names the id in its error message
   */
  public static String roomIdProblem(String field, String id) {
    if (!id.startsWith("user:") && !id.startsWith("room:")) {
      return null;
    }
    String bare = id.substring(5);
    boolean usable = isValidId(bare);
    return "\"" + field + "\" is a room id such as " + (usable ? bare : "lobby") + ", not a stream name such as "
        + (usable ? id : "room:lobby");
  }

  /** The stream name if valid, else null. */
  public static Kind kindOf(String stream) {
    if (stream == null) {
      return null;
    }
    if (stream.equals(ALL)) {
      return Kind.ALL;
    }
    if (stream.startsWith("user:") && validId(stream, 5)) {
      return Kind.USER;
    }
    if (stream.startsWith("room:") && validId(stream, 5)) {
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
