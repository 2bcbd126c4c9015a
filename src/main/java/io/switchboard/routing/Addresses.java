package io.switchboard.routing;

/** Every event-bus address Switchboard uses. */
public final class Addresses {

  /** Prefix of per-stream addresses; a stream's address exists while some node has a session on it. */
  public static final String STREAM_PREFIX = "sb.stream.";

  private Addresses() {
  }

  public static String stream(String stream) {
    return STREAM_PREFIX + stream;
  }
}
