package io.switchboard.client;

import java.util.Collections;
import java.util.Map;

/** The node accepted the connection: who the user is, where, and the streams the session receives. */
public final class Welcome {
  private final String user;
  private final String session;
  private final String node;
  private final long heartbeatMs;
  private final Map<String, Position> streams;
  private final boolean first;

  public Welcome(String user, String session, String node, long heartbeatMs, Map<String, Position> streams,
      boolean first) {
    this.user = user;
    this.session = session;
    this.node = node;
    this.heartbeatMs = heartbeatMs;
    this.streams = Collections.unmodifiableMap(streams);
    this.first = first;
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

  @Override
  public String toString() {
    return "Welcome{" + user + " on " + node + ", " + streams.size() + " streams" + (first ? ", first" : "") + "}";
  }
}
