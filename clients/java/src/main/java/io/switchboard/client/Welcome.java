package io.switchboard.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The node accepted the connection: who the user is, where, and the streams the session receives. */
public final class Welcome {
  private final String user;
  private final String session;
  private final String node;
  private final long heartbeatMs;
  private final Map<String, Position> streams;
  private final boolean first;
  private final List<String> rejoining;

  public Welcome(String user, String session, String node, long heartbeatMs, Map<String, Position> streams,
      boolean first) {
    this(user, session, node, heartbeatMs, streams, first, Collections.<String>emptyList());
  }

  public Welcome(String user, String session, String node, long heartbeatMs, Map<String, Position> streams,
      boolean first, List<String> rejoining) {
    this.user = user;
    this.session = session;
    this.node = node;
    this.heartbeatMs = heartbeatMs;
    this.streams = Collections.unmodifiableMap(streams);
    this.first = first;
    this.rejoining = Collections.unmodifiableList(rejoining);
  }

  public String getUser() {
    return user;
  }

  public String getSession() {
    return session;
  }

  public String getNode() {
    return node;
  }

  public long getHeartbeatMs() {
    return heartbeatMs;
  }

  /** Every stream the session receives, with its head and epoch at connect time. */
  public Map<String, Position> getStreams() {
    return streams;
  }

  /** True on this client object's first welcome. */
  public boolean isFirst() {
    return first;
  }

  /**
   * Rooms the client joins again, ahead of everything queued, for the sends waiting for them: rooms
   * it followed before that this welcome no longer lists (a node that lost its store forgets
   * memberships). A {@link Joined} event with {@link Joined#isRestored()} follows each, or an error
   * if the join fails. Empty on most welcomes.
   */
  public List<String> getRejoining() {
    return rejoining;
  }

  @Override
  public String toString() {
    return "Welcome{" + user + " on " + node + ", " + streams.size() + " streams" + (first ? ", first" : "")
        + (rejoining.isEmpty() ? "" : ", rejoining " + rejoining) + "}";
  }
}
