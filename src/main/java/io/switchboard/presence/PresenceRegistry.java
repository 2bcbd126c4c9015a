package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Who is online, and which online users each room has. A user is online while at least one of
 * their sessions is open anywhere. Implementations: {@link LocalPresenceRegistry} for one node,
 * {@code HazelcastPresenceRegistry} shared by the nodes of a cluster.
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

  /** Open sessions of the user, on every node. */
  Future<Integer> sessions(String user);

  /**
   * Called when users go offline without their sessions closing normally (their node died), with
   * the rooms to tell. The local registry never calls it.
   */
  default void onLost(BiConsumer<String, Set<String>> listener) {
  }

  default void close() {
  }
}
