package io.switchboard.presence;

import java.util.List;

/**
 * @param users up to the requested number of online members
 * @param count all online members
 */
public record RoomPresence(List<String> users, int count) {

  /** Nobody online (or nothing known). */
  public static final RoomPresence EMPTY = new RoomPresence(List.of(), 0);
}
