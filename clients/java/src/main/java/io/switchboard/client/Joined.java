package io.switchboard.client;

import java.util.Collections;
import java.util.List;

/**
 * A room joined: the answer to {@link SwitchboardClient#join(String)}, or an event when another
 * session of the same user (a tab, a device, the HTTP API) made the join ({@link #isElsewhere()}).
 */
public final class Joined {
  private final String room;
  private final long head;
  private final String epoch;
  private final List<String> online;
  private final int onlineCount;
  private final boolean elsewhere;

  public Joined(String room, long head, String epoch, List<String> online, int onlineCount, boolean elsewhere) {
    this.room = room;
    this.head = head;
    this.epoch = epoch;
    this.online = Collections.unmodifiableList(online);
    this.onlineCount = onlineCount;
    this.elsewhere = elsewhere;
  }

  public String getRoom() {
    return room;
  }

  /** The room's last seq at the join: delivery starts after it. */
  public long getHead() {
    return head;
  }

  public String getEpoch() {
    return epoch;
  }

  /** Online members (at most the node's {@code presence.maxListed}). */
  public List<String> getOnline() {
    return online;
  }

  public int getOnlineCount() {
    return onlineCount;
  }

  public boolean isElsewhere() {
    return elsewhere;
  }

  @Override
  public String toString() {
    return "Joined{" + room + " at " + head + (elsewhere ? ", elsewhere" : "") + "}";
  }
}
