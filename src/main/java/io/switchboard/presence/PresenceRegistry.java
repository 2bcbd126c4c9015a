package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Who is online, and which online users each room has. A user is online while at least one of
 * their sessions is open anywhere. Implementations: {@link LocalPresenceRegistry} for one node,
 * {@code HazelcastPresenceRegistry} shared by the nodes of a cluster.
 *
 * <p>Sessions are counted by id, so every session operation is idempotent: Hazelcast runs an entry
 * processor again when a member leaves mid-call, and callers retry what failed. A change to a room
 * costs the same whether it has ten online members or ten thousand, and reading a room costs what
 * is read (a count and at most {@code limit} users).
 */
public interface PresenceRegistry {

  /** What closing a session did. */
  enum Closed {
    /** The user has other open sessions (or was never known). */
    STILL_ONLINE,
    /** This call closed the user's last session: their rooms no longer count them. */
    WENT_OFFLINE,
    /** The session was already gone and the user is offline: their rooms were cleared again. */
    WAS_OFFLINE
  }

  /**
   * What {@link #sessionOpened} did.
   *
   * @param first  this is the user's first open session (the user just came online)
   * @param counts when the call counted the user online in their rooms and could tell: each room's
   *               online count right after, so that the rooms' presence frames need no read of their
   *               own; null otherwise
   * @param online when the call was asked to list the rooms and counted the user in them: each
   *               room's online count and first users right after (the user among them), as
   *               {@link #rooms} would read them; null when they were not read
   */
  record Opened(boolean first, Map<String, Integer> counts, Map<String, RoomPresence> online) {
    public Opened(boolean first, Map<String, Integer> counts) {
      this(first, counts, null);
    }
  }

  /** Counts the session; when it is the user's first, the user comes online in their rooms. */
  Future<Opened> sessionOpened(String session, String user, Collection<String> rooms);

  /**
   * Like {@link #sessionOpened(String, String, Collection)}; where counting the user in their rooms
   * can answer each room's first {@code limit} users at no extra call, it does ({@link Opened#online}).
   */
  default Future<Opened> sessionOpened(String session, String user, Collection<String> rooms, int limit) {
    return sessionOpened(session, user, rooms);
  }

  /**
   * Records again a session this node has open, after Hazelcast merged a split cluster and may have
   * lost it; the user's rooms are written again too.
   *
   * @return true when the user was offline in the registry (their rooms must hear it)
   */
  default Future<Boolean> sessionRepublished(String session, String user, Collection<String> rooms) {
    return Future.succeededFuture(false);
  }

  Future<Closed> sessionClosed(String session, String user, Collection<String> rooms);

  /** Records that an online user joined a room. */
  Future<Void> joined(String room, String user);

  Future<Void> left(String room, String user);

  /** The room's online count and at most {@code limit} of its online users. */
  Future<RoomPresence> room(String room, int limit);

  /**
   * Each room's online count and at most {@code limit} of its online users; rooms without anyone
   * online may be left out.
   */
  default Future<Map<String, RoomPresence>> rooms(Collection<String> rooms, int limit) {
    Map<String, Future<RoomPresence>> each = new HashMap<>();
    rooms.forEach(r -> each.put(r, room(r, limit)));
    return Future.all(new ArrayList<>(each.values())).map(v -> {
      Map<String, RoomPresence> out = new HashMap<>();
      each.forEach((room, f) -> out.put(room, f.result()));
      return out;
    });
  }

  Future<Boolean> isOnline(String user);

  /** Open sessions of the user, on every node. */
  Future<Integer> sessions(String user);

  /**
   * A user's sessions the registry holds as open on this node, and the user's rooms.
   */
  record Held(Set<String> sessions, Set<String> rooms) {
  }

  /** The sessions the registry holds as open on this node, by user. */
  default Future<Map<String, Held>> ownSessions() {
    return Future.succeededFuture(Map.of());
  }

  /**
   * Called when users go offline without their sessions closing normally (their node died), with
   * the rooms to tell. The local registry never calls it.
   */
  default void onLost(BiConsumer<String, Set<String>> listener) {
  }

  /**
   * Called when the registry's state may have lost or kept stale sessions of this node: Hazelcast
   * merged two halves of a split cluster, or lost every copy of some entries. The listener writes
   * this node's sessions again and completes when done. The local registry never calls it.
   */
  default void onMerged(Supplier<Future<Void>> listener) {
  }

  /**
   * Whether this node's view of the registry holds everything about {@code key} (a user or a room):
   * false while the part of the registry it lives in was lost with members that may still be alive,
   * where a missing user would read as offline although they may be online out of sight.
   */
  default boolean known(String key) {
    return true;
  }

  default void close() {
  }
}
