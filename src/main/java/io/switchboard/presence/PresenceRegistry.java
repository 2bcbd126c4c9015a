package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.Collection;

/**
 * Who is online, and which online users each room has. A user is online while at least one of
 * their sessions is open. Implementations: {@link LocalPresenceRegistry} for one node; the cluster
 * needs one shared by all nodes.
 */
public interface PresenceRegistry {

  /** @return true when this is the user's first open session */
  Future<Boolean> sessionOpened(String user, Collection<String> rooms);

  /** @return true when this was the user's last open session */
  Future<Boolean> sessionClosed(String user, Collection<String> rooms);

  /** Records that an online user joined a room. */
  Future<Void> joined(String room, String user);

  Future<Void> left(String room, String user);

  Future<RoomPresence> room(String room, int limit);

  Future<Boolean> isOnline(String user);
}
