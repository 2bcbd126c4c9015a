package io.switchboard.presence;

import java.util.List;

/**
 * @param users up to the requested number of online members
 * @param count all online members
 */
public record RoomPresence(List<String> users, int count) {
}
