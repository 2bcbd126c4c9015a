package io.switchboard.routing;

import io.switchboard.protocol.StreamName;

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

  private static final String USER_STREAM_PREFIX = stream(StreamName.user(""));

  /**
   * Whether the address is a user stream's: its consumers are not in Vert.x's cluster-wide table,
   * presence tells where the user is (cluster.PresenceNodeSelector).
   */
  public static boolean isUserStream(String address) {
    return address.startsWith(USER_STREAM_PREFIX);
  }

  /** The user id of a user stream's address. */
  public static String userOf(String address) {
    return address.substring(USER_STREAM_PREFIX.length());
  }

  /** Where a node answers which sessions of a user it holds (the admin's look-up of a user). */
  public static String sessions(String nodeId) {
    return "sb.node." + nodeId + ".sessions";
  }

  /** Where a node takes drain requests. */
  public static String drain(String nodeId) {
    return "sb.node." + nodeId + ".drain";
  }
}
