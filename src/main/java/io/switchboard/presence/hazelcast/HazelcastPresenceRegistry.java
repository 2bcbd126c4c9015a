package io.switchboard.presence.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.switchboard.routing.UserLocator;
import io.switchboard.store.NodeBeats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Presence shared by every node of the cluster, in Hazelcast maps (backed up on another member, so
 * one node's death loses nothing of it).
 *
 * <p>A node that dies cannot close its sessions, so someone else must: {@link NodeDepartures} finds
 * the dead nodes and removes their sessions, and the registry takes their users out of their rooms
 * and reports them offline. Bound on reporting a dead node's users offline: the later of
 * Hazelcast's failure detection ({@code cluster.failureTimeoutMs}) and the beat's expiry (at most
 * {@code ClusterLiveness.BEAT_TTL_MS} after the node stopped), plus {@link NodeDepartures#RECHECK_MS},
 * plus the cleanup itself.
 *
 * <p>After Hazelcast merges a split cluster, the merged maps may lack this node's sessions or hold
 * ones it closed meanwhile: {@link #onMerged} listeners then write them again (Hazelcast's MERGED
 * event on the members that joined the larger half; the return of a member this one had seen leave
 * and that never stopped beating, on the members of the larger half). When members leave together
 * and take every copy of some partitions with them, this node's sessions there are written again at
 * once, and the keys of those partitions are not {@link #known} until the cluster is whole again
 * ({@link LostPartitions}).
 */
public final class HazelcastPresenceRegistry implements PresenceRegistry, UserLocator {

  static final String USERS = "sb.presence.users";
  static final String ROOMS = "sb.presence.rooms";
  /** Member attribute Vert.x stores its node id in (HazelcastClusterManager.NODE_ID_ATTRIBUTE). */
  public static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Vertx vertx;
  private final String nodeId;
  private final IMap<String, UserPresence> users;
  private final IMap<String, LinkedHashMap<String, Long>> rooms;
  private final UUID usersLostListener;
  private final UUID roomsLostListener;
  private final LostPartitions lostPartitions;
  private final NodeDepartures departures;
  private volatile BiConsumer<String, Set<String>> lost = (u, r) -> { };

  public HazelcastPresenceRegistry(Vertx vertx, HazelcastInstance hazelcast, String nodeId, NodeBeats beats) {
    this.vertx = vertx;
    this.nodeId = nodeId;
    this.users = hazelcast.getMap(USERS);
    this.rooms = hazelcast.getMap(ROOMS);
    this.lostPartitions = new LostPartitions(hazelcast);
    // both maps share the partitions; a loss is reported per map
    this.usersLostListener = users.addPartitionLostListener(e -> lostPartitions.lost(e.getPartitionId()));
    this.roomsLostListener = rooms.addPartitionLostListener(e -> lostPartitions.lost(e.getPartitionId()));
    this.departures = new NodeDepartures(vertx, hazelcast, beats, users, lostPartitions,
        (user, offline) -> clear(user, offline).onSuccess(v -> lost.accept(user, offline.rooms())));
  }

  /** The rooms' counts come back from the writes that count the user in them: no read for the presence frames. */
  @Override
  public Future<Opened> sessionOpened(String session, String user, Collection<String> userRooms) {
    return sessionOpened(session, user, userRooms, 0);
  }

  /** With a {@code limit}, the same writes answer the rooms' first users too: no read for the welcome either. */
  @Override
  public Future<Opened> sessionOpened(String session, String user, Collection<String> userRooms, int limit) {
    return async(users.submitToKey(user, new UserOps.Opened(nodeId, session, userRooms))).compose(open -> {
      // a run that found the session already there may be Hazelcast's second run of a call whose
      // first answer was lost, with the rooms never told: writing them again costs one delta each
      if (!open.first() && open.added()) {
        return Future.succeededFuture(new Opened(false, null));
      }
      return limit <= 0
          ? online(userRooms, user, open.generation(), true).map(counts -> new Opened(open.first(), counts))
          : entered(userRooms, user, open.generation(), limit).map(listed -> opened(open.first(), listed));
    });
  }

  @Override
  public Future<Boolean> sessionRepublished(String session, String user, Collection<String> userRooms) {
    return async(users.submitToKey(user, new UserOps.Opened(nodeId, session, userRooms))).compose(open ->
        online(userRooms, user, open.generation(), true).map(open.first() && open.added()));
  }

  @Override
  public Future<Closed> sessionClosed(String session, String user, Collection<String> userRooms) {
    return async(users.submitToKey(user, new UserOps.Closed(nodeId, session))).compose(offline ->
        offline == null ? Future.succeededFuture(Closed.STILL_ONLINE)
            : clear(user, offline).map(offline.removed() ? Closed.WENT_OFFLINE : Closed.WAS_OFFLINE));
  }

  @Override
  public Future<Void> joined(String room, String user) {
    return async(users.submitToKey(user, new UserOps.Room(room, true)))
        .compose(generation -> generation > 0 ? online(room, user, generation, true) : Future.succeededFuture());
  }

  @Override
  public Future<Void> left(String room, String user) {
    return async(users.submitToKey(user, new UserOps.Room(room, false)))
        .compose(generation -> online(room, user, Math.abs(generation), false));
  }

  @Override
  public Future<RoomPresence> room(String room, int limit) {
    return async(rooms.submitToKey(room, new RoomOps.ListOnline(limit)))
        .map(PresenceAnswers.Listed::presence);
  }

  /** One call per member holding some of the rooms, not one per room: a hello reads every room of the user. */
  @Override
  public Future<Map<String, RoomPresence>> rooms(Collection<String> names, int limit) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return async(rooms.submitToKeys(new HashSet<>(names), new RoomOps.ListOnline(limit)))
        .map(HazelcastPresenceRegistry::presence);
  }

  @Override
  public Future<Boolean> isOnline(String user) {
    return async(users.getAsync(user)).map(p -> p != null && p.online());
  }

  @Override
  /**
   * Without the nodes that left the cluster: their sessions stay in the entry until the sweep finds
   * them dead (their beat expired, seconds later), but the event bus cannot reach them ("Not a
   * member of the cluster", a failed connect and a logged stack trace per message). In a failover
   * that was one per message to each user of the dead node who had come back elsewhere.
   */
  public Future<Set<String>> nodesOf(String user) {
    return async(users.getAsync(user)).map(p -> {
      if (p == null) {
        return Set.of();
      }
      return departures.reachable(p.nodes());
    });
  }

  @Override
  public Future<Integer> sessions(String user) {
    return async(users.getAsync(user)).map(p -> p == null ? 0 : p.sessions());
  }

  @Override
  public boolean known(String key) {
    return lostPartitions.known(key);
  }

  @Override
  public Future<Map<String, Held>> ownSessions() {
    return vertx.executeBlocking(() -> {
      Map<String, Held> out = new HashMap<>();
      users.executeOnEntries(new UserOps.SessionsOn(nodeId), new UserOps.OnNode(nodeId))
          .forEach((user, held) -> {
            if (held != null && !held.sessions().isEmpty()) {
              out.put(user, new Held(held.sessions(), held.rooms()));
            }
          });
      return out;
    }, false);
  }

  private Future<Void> clear(String user, PresenceAnswers.Offline offline) {
    return online(offline.rooms(), user, offline.generation(), false).mapEmpty();
  }

  @Override
  public void onLost(BiConsumer<String, Set<String>> listener) {
    this.lost = listener;
  }

  @Override
  public void onMerged(Supplier<Future<Void>> listener) {
    lostPartitions.repairWith(listener);
  }

  @Override
  public void close() {
    departures.close();
    try {
      users.removePartitionLostListener(usersLostListener);
      rooms.removePartitionLostListener(roomsLostListener);
    } catch (RuntimeException alreadyShutDown) {
      // Hazelcast is going down with the node
    }
  }

  /** Node ids of the members in this member's view; empty when Hazelcast is not running. */
  public static Set<String> view(HazelcastInstance hazelcast) {
    Set<String> ids = new HashSet<>();
    try {
      for (Member m : hazelcast.getCluster().getMembers()) {
        ids.add(m.getAttribute(NODE_ID_ATTRIBUTE));
      }
    } catch (RuntimeException notRunning) {
      return Set.of();
    }
    return ids;
  }

  private Future<Void> online(String room, String user, long generation, boolean add) {
    return async(rooms.submitToKey(room, new RoomOps.Online(user, generation, add))).mapEmpty();
  }

  /**
   * The same change in every one of the rooms, one call per member holding some of them; answers
   * each room's online count after it.
   */
  private Future<Map<String, Integer>> online(Collection<String> names, String user, long generation, boolean add) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return async(rooms.submitToKeys(new HashSet<>(names), new RoomOps.Online(user, generation, add)));
  }

  private static Opened opened(boolean first, Map<String, PresenceAnswers.Listed> listed) {
    Map<String, RoomPresence> online = presence(listed);
    Map<String, Integer> counts = new HashMap<>();
    online.forEach((room, p) -> counts.put(room, p.count()));
    return new Opened(first, counts, online);
  }

  private static Map<String, RoomPresence> presence(Map<String, PresenceAnswers.Listed> listed) {
    Map<String, RoomPresence> out = new HashMap<>();
    listed.forEach((room, l) -> out.put(room, l.presence()));
    return out;
  }

  /** {@link RoomOps.Entered} in each of the rooms, one call per member holding some of them. */
  private Future<Map<String, PresenceAnswers.Listed>> entered(Collection<String> names, String user, long generation,
                                                             int limit) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return async(rooms.submitToKeys(new HashSet<>(names), new RoomOps.Entered(user, generation, limit)));
  }

  /**
   * Runs a completed Hazelcast call's callback on the thread that completed it: for another member's
   * answer, Hazelcast's IO thread (HazelcastSetup turns response threads off), which must never wait.
   * The callback only hands over.
   */
  private static final Executor SAME_THREAD = Runnable::run;


  /**
   * A Hazelcast future as a Vert.x one, completed on the caller's context. Not
   * {@code Future.fromCompletionStage}: Hazelcast runs a callback registered without an executor on
   * its default async executor, which, where the common pool has fewer than two threads (machines of
   * one or two cores), starts a new thread for every callback; a connect made several.
   */
  private <T> Future<T> async(CompletionStage<T> stage) {
    Context context = vertx.getOrCreateContext();
    Promise<T> done = Promise.promise();
    stage.whenCompleteAsync((result, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        done.complete(result);
      } else {
        done.fail(failure);
      }
    }), SAME_THREAD);
    return done.future();
  }
}
