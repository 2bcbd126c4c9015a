package io.switchboard.client;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Once per (re)connection, when every stream has caught up: how many messages came in the catch-up,
 * since when the client was offline, and the gaps and resets met.
 */
public final class Resumed {
  private final long offlineFrom;
  private final long offlineTo;
  private final int count;
  private final Map<String, Integer> streams;
  private final List<Gap> gaps;
  private final List<Reset> resets;

  public Resumed(long offlineFrom, long offlineTo, int count, Map<String, Integer> streams, List<Gap> gaps,
      List<Reset> resets) {
    this.offlineFrom = offlineFrom;
    this.offlineTo = offlineTo;
    this.count = count;
    this.streams = Collections.unmodifiableMap(streams);
    this.gaps = Collections.unmodifiableList(gaps);
    this.resets = Collections.unmodifiableList(resets);
  }

  /** When the client was last known connected (ms since the epoch), or 0 on a first connection. */
  public long getOfflineFrom() {
    return offlineFrom;
  }

  /** When the catch-up began (the welcome). */
  public long getOfflineTo() {
    return offlineTo;
  }

  /** Messages delivered by the catch-up, all streams. */
  public int getCount() {
    return count;
  }

  /** Messages delivered by the catch-up, per stream. */
  public Map<String, Integer> getStreams() {
    return streams;
  }

  public List<Gap> getGaps() {
    return gaps;
  }

  public List<Reset> getResets() {
    return resets;
  }

  @Override
  public String toString() {
    return "Resumed{" + count + " messages, " + gaps.size() + " gaps, " + resets.size() + " resets}";
  }
}
