package io.switchboard.client;

/** A room left: the answer to {@link SwitchboardClient#leave(String)}, or an event when made elsewhere. */
public final class Left {
  private final String room;
  private final boolean elsewhere;

  public Left(String room, boolean elsewhere) {
    this.room = room;
    this.elsewhere = elsewhere;
  }

  public String getRoom() {
    return room;
  }

  public boolean isElsewhere() {
    return elsewhere;
  }

  @Override
  public String toString() {
    return "Left{" + room + (elsewhere ? ", elsewhere" : "") + "}";
  }
}
