package io.switchboard.routing;

/** Every event-bus address Switchboard uses. */
public final class Addresses {

  /** Prefix of per-stream addresses; a stream's address exists while some node has a session on it. */
  public static final String STREAM_PREFIX = "sb.stream.";

  private Addresses() {
  }

  /** Send operation of the API for verticles in the cluster (request/reply). */
  public static final String API_SEND = "sb.api.send";

  public static String stream(String stream) {
    return STREAM_PREFIX + stream;
  }

  /** Where a node takes drain requests. */
  public static String drain(String nodeId) {
    return "sb.node." + nodeId + ".drain";
  }
}
