package io.switchboard.presence.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.switchboard.routing.UserLocator;
import io.switchboard.store.NodeBeats;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Presence shared by every node of the cluster, in Hazelcast maps (backed up on another member, so
 * one node's death loses nothing of it).
 *
 * <p>A node that dies cannot close its sessions, so someone else must. A node is dead when
 * Hazelcast removed it <em>and</em> its beat in the store ({@link NodeBeats}) expired: Hazelcast alone
 * cannot tell a dead node from one cut off by a partition, nor from the view of a node that was
 * frozen and woke up believing everyone else died. When a member leaves, every member notes it; once
 * a second its beat is checked, and when it has expired the oldest member removes the sessions of
 * every node that is neither a member nor beating, and reports the users that went offline. The
 * oldest member also does so every {@link #SWEEP_MS}, so a cleanup cut short by another failure is
 * finished later. Bound on reporting a dead node's users offline: the later of Hazelcast's failure
 * detection ({@code cluster.failureTimeoutMs}) and the beat's expiry (at most
 * {@code ClusterLiveness.BEAT_TTL_MS} after the node stopped), plus {@link #RECHECK_MS}, plus the
 * cleanup itself.
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

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPresenceRegistry.class);
  static final String USERS = "sb.presence.users";
  static final String ROOMS = "sb.presence.rooms";
  /** Member attribute Vert.x stores its node id in (HazelcastClusterManager.NODE_ID_ATTRIBUTE). */
  public static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  static final long SWEEP_MS = 15_000;
  /** How often a node that left the view is checked for a beat that has expired. */
  static final long RECHECK_MS = 1_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final NodeBeats beats;
  private final IMap<String, UserPresence> users;
  private final IMap<String, LinkedHashMap<String, Long>> rooms;
  private final UUID membershipListener;
  private final UUID lifecycleListener;
  private final UUID usersLostListener;
  private final UUID roomsLostListener;
  private final LostPartitions lostPartitions;
  private final long sweepTimer;
  private final long recheckTimer;
  /** Nodes removed from the view whose beat was fresh when last checked. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();
  /**
   * Nodes removed from the view, whether found dead since or not: their return is a merge. A dead
   * node never returns (a restart is a new node id), so only the most recent are kept.
   */
  private final Set<String> departed = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());
  static final int MAX_DEPARTED = 1024;
  private volatile BiConsumer<String, Set<String>> lost = (u, r) -> { };
  private volatile boolean merging;

  public HazelcastPresenceRegistry(Vertx vertx, HazelcastInstance hazelcast, String nodeId, NodeBeats beats) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.beats = beats;
    this.users = hazelcast.getMap(USERS);
    this.rooms = hazelcast.getMap(ROOMS);
    this.lostPartitions = new LostPartitions(hazelcast);
    // both maps share the partitions; a loss is reported per map
    this.usersLostListener = users.addPartitionLostListener(e -> lostPartitions.lost(e.getPartitionId()));
    this.roomsLostListener = rooms.addPartitionLostListener(e -> lostPartitions.lost(e.getPartitionId()));
    this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        lostPartitions.viewChanged();
        String id = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
        leaving.remove(id);
        if (id != null && departed.remove(id)) {
          LOG.info("node " + id + " is back in the cluster: writing this node's sessions again");
          lostPartitions.repair();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        lostPartitions.viewChanged();
        String id = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
        if (id != null) {
          synchronized (departed) {
            departed.add(id);
            if (departed.size() > MAX_DEPARTED) {
              departed.remove(departed.iterator().next());
            }
          }
          leaving.add(id);
          vertx.runOnContext(v -> recheck());
        }
      }
    });
    this.lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      // a member joining the other half must not sweep with the view of its own half: its map
      // operations may already reach the other half's entries
      merging = event.getState() == LifecycleEvent.LifecycleState.MERGING;
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        LOG.info("merged into the larger half of a split cluster: writing this node's sessions again");
        lostPartitions.viewChanged();
        lostPartitions.repair();
      }
    });
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> sweep());
    this.recheckTimer = vertx.setPeriodic(RECHECK_MS, t -> {
      recheck();
      lostPartitions.check(leaving.isEmpty() && !merging);
    });
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
        .map(listed -> new RoomPresence(listed.users(), listed.count()));
  }

  /** One call per member holding some of the rooms, not one per room: a hello reads every room of the user. */
  @Override
  public Future<Map<String, RoomPresence>> rooms(Collection<String> names, int limit) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return async(rooms.submitToKeys(new HashSet<>(names), new RoomOps.ListOnline(limit))).map(listed -> {
      Map<String, RoomPresence> out = new HashMap<>();
      listed.forEach((room, l) -> out.put(room, new RoomPresence(l.users(), l.count())));
      return out;
    });
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
      Set<String> nodes = new HashSet<>(p.nodes());
      synchronized (departed) {
        nodes.removeAll(departed);
      }
      return Set.copyOf(nodes);
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
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(recheckTimer);
    try {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
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

  /** Sweeps once a node that left the view has stopped beating too; forgets those that came back. */
  private void recheck() {
    if (leaving.isEmpty()) {
      return;
    }
    Set<String> view = view(hazelcast);
    beats.alive().onSuccess(alive -> {
      boolean dead = false;
      for (String id : new ArrayList<>(leaving)) {
        if (view.contains(id)) {
          leaving.remove(id);
        } else if (!alive.contains(id)) {
          // still departed: a node taken for dead that comes back was frozen, not dead, and its
          // return is a merge like any other (its split copy of the maps meets this half's)
          leaving.remove(id);
          dead = true;
        }
      }
      if (dead) {
        sweep();
      }
    });
  }

  /**
   * On the oldest member only: removes the sessions of nodes that are neither in the cluster nor
   * beating. With no answer from the store nothing is removed: a live node must not be swept.
   */
  private void sweep() {
    Set<Member> members;
    try {
      members = hazelcast.getCluster().getMembers();
    } catch (RuntimeException shuttingDown) {
      return;
    }
    if (merging || members.isEmpty() || !members.iterator().next().localMember()) {
      return;
    }
    Set<String> view = view(hazelcast);
    beats.alive()
        .compose(alive -> {
          if (merging || !view.equals(view(hazelcast))) {
            // the cluster changed while the beats were read (a merge, a member back): the next sweep
            // decides with a view that matches what the maps hold
            return Future.succeededFuture(Map.<String, PresenceAnswers.Offline>of());
          }
          Set<String> keep = new HashSet<>(view);
          keep.addAll(alive);
          // runs on the members that own the entries; only users with sessions on dead nodes are touched
          return vertx.executeBlocking(() -> users.executeOnEntries(new UserOps.ClosedDead(keep),
              new UserOps.OnDeadNodes(keep)), false);
        })
        .onSuccess(results -> {
          if (!results.isEmpty()) {
            LOG.info("presence sweep: removed the sessions of " + results.size() + " user(s) on nodes neither in the "
                + "cluster nor beating (kept: " + view.size() + " members and the beating nodes)");
          }
          results.forEach((user, offline) -> {
            if (offline != null) {
              clear(user, offline).onSuccess(v -> lost.accept(user, offline.rooms()));
            }
          });
        })
        .onFailure(e -> LOG.warn("presence sweep failed, next one in at most " + SWEEP_MS + " ms: " + e.getMessage()));
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
    Map<String, Integer> counts = new HashMap<>();
    Map<String, RoomPresence> online = new HashMap<>();
    listed.forEach((room, l) -> {
      counts.put(room, l.count());
      online.put(room, new RoomPresence(l.users(), l.count()));
    });
    return new Opened(first, counts, online);
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
