package io.switchboard.config;

/** How much presence a room carries. */
public class PresenceOptions {

  public static final int DEFAULT_MAX_LISTED = 100;
  /** Presence events to N members for each of N arrivals is N^2 frames: large rooms get counts only. */
  public static final int DEFAULT_MAX_ROOM_ONLINE = 1000;

  private int maxListed = DEFAULT_MAX_LISTED;
  private int maxRoomOnline = DEFAULT_MAX_ROOM_ONLINE;

  static PresenceOptions read(ConfigReader r) {
    PresenceOptions o = new PresenceOptions();
    o.maxListed = r.integer(Setting.PRESENCE_MAX_LISTED, DEFAULT_MAX_LISTED, 0, 100_000);
    o.maxRoomOnline = r.integer(Setting.PRESENCE_MAX_ROOM_ONLINE, DEFAULT_MAX_ROOM_ONLINE, 0, 10_000_000);
    return o;
  }

  /** At most this many online user ids are listed per room in welcome and joined. */
  public int getMaxListed() {
    return maxListed;
  }

  /** Rooms with more online members than this get no presence events. */
  public int getMaxRoomOnline() {
    return maxRoomOnline;
  }
}
