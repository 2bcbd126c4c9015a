package io.switchboard.routing;

/** Every event-bus address Switchboard uses. */
public final class Addresses {

  /** Prefix of per-stream addresses; a stream's address exists while some node has a session on it. */
  public static final String STREAM_PREFIX = "sb.stream.";

  private Addresses() {
  }

  /** Send operation of the API for verticles in the cluster (request/reply). */
  public static final String API_SEND = "sb.api.send";

  /**
   * Membership changes and kicks, published to every node. Every node consumes it from start-up on,
   * so, unlike a stream address registered a moment ago, every publisher already knows every
   * consumer: a control message cannot be lost to a registration still propagating.
   */
  public static final String CONTROL = "sb.control";

  public static String stream(String stream) {
    return STREAM_PREFIX + stream;
  }

  /** Where a node takes drain requests. */
  public static String drain(String nodeId) {
    return "sb.node." + nodeId + ".drain";
  }
}
