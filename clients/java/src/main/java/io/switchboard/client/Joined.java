package io.switchboard.client;

import java.util.Collections;
import java.util.List;

/**
 * A room joined: the answer to {@link SwitchboardClient#join(String)}, or an event when another
 * session of the same user (a tab, a device, the HTTP API) made the join ({@link #isElsewhere()}),
 * or when the client joined a lost room again for the sends waiting for it ({@link #isRestored()}).
 */
public final class Joined {
  private final String room;
  private final long head;
  private final String epoch;
  private final List<String> online;
  private final int onlineCount;
  private final boolean elsewhere;
  private final boolean restored;

  public Joined(String room, long head, String epoch, List<String> online, int onlineCount, boolean elsewhere) {
    this(room, head, epoch, online, onlineCount, elsewhere, false);
  }

  public Joined(String room, long head, String epoch, List<String> online, int onlineCount, boolean elsewhere,
      boolean restored) {
    this.room = room;
    this.head = head;
    this.epoch = epoch;
    this.online = Collections.unmodifiableList(online);
    this.onlineCount = onlineCount;
    this.elsewhere = elsewhere;
    this.restored = restored;
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

  /**
   * The client made this join itself: the room was followed before, the welcome no longer listed it
   * (a node that lost its store forgets memberships), and sends queued for it were waiting. See
   * {@link Welcome#getRejoining()}.
   */
  public boolean isRestored() {
    return restored;
  }

  @Override
  public String toString() {
    return "Joined{" + room + " at " + head + (elsewhere ? ", elsewhere" : "") + (restored ? ", restored" : "") + "}";
  }
}
