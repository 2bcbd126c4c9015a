package io.switchboard.bench;

/**
 * The three wire protocols the generator speaks, reduced to what the scenarios need: where to
 * connect, the frames a client sends, and a cheap scan of the frames it receives (a full JSON parse
 * per message would make the generator, not the server, the bottleneck).
 */
public enum Proto {
  /** Switchboard protocol v1 (docs/protocol.md). */
  SB("/ws"),
  /** Socket.IO v4 over engine.io v4, WebSocket transport only. */
  SIO("/socket.io/?EIO=4&transport=websocket"),
  /** The raw baseline: any text frame in is broadcast to every socket. */
  RAW("/raw");

  final String path;

  Proto(String path) {
    this.path = path;
  }

  static Proto of(String name) {
    return valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }

  /** A message whose body carries the send instant (System.nanoTime, shared by every process on the machine). */
  String sendFrame(String to, long nanos) {
    return switch (this) {
      case SB -> "{\"type\":\"send\",\"to\":\"" + to + "\",\"body\":{\"t\":" + nanos + "}}";
      case SIO -> "42[\"send\",{\"to\":\"" + to + "\",\"body\":{\"t\":" + nanos + "}}]";
      case RAW -> "{\"t\":" + nanos + "}";
    };
  }

  /** The value of the first {@code key} (with quotes and colon, e.g. {@code "\"t\":"}) as a long, or MIN_VALUE. */
  static long scanLong(String s, String key) {
    int i = s.indexOf(key);
    if (i < 0) {
      return Long.MIN_VALUE;
    }
    i += key.length();
    long v = 0;
    boolean any = false;
    boolean negative = i < s.length() && s.charAt(i) == '-';
    if (negative) {
      i++;
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      v = v * 10 + (c - '0');
      any = true;
    }
    if (!any) {
      return Long.MIN_VALUE;
    }
    return negative ? -v : v;
  }
}
