package io.switchboard.client;

/** Another member of a room came online or went offline. */
public final class Presence {
  private final String room;
  private final String user;
  private final boolean online;

  public Presence(String room, String user, boolean online) {
    this.room = room;
    this.user = user;
    this.online = online;
  }

  /** The bare room id ({@code lobby}). */
  public String getRoom() {
    return room;
  }

  public String getUser() {
    return user;
  }

  public boolean isOnline() {
    return online;
  }

  @Override
  public String toString() {
    return "Presence{" + user + " " + (online ? "online" : "offline") + " in " + room + "}";
  }
}
