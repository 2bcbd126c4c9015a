package io.switchboard.presence.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.presence.RoomPresence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Presence shared by every node of the cluster, in Hazelcast maps (backed up on another member, so
 * one node's death loses nothing of it).
 *
 * <p>A node that dies cannot close its sessions. When a member leaves, the oldest remaining member
 * removes every session of nodes that are no longer members and reports the users that went offline;
 * it does the same on a timer, so a cleanup cut short by another failure is finished later. How soon
 * offline is reported is bounded by Hazelcast's failure detection ({@code cluster.failureTimeoutMs})
 * plus one cleanup.
 */
public final class HazelcastPresenceRegistry implements PresenceRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(HazelcastPresenceRegistry.class);
  static final String USERS = "sb.presence.users";
  static final String ROOMS = "sb.presence.rooms";
  /** Member attribute Vert.x stores its node id in (HazelcastClusterManager.NODE_ID_ATTRIBUTE). */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  static final long SWEEP_MS = 15_000;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final IMap<String, UserPresence> users;
  private final IMap<String, HashMap<String, Long>> rooms;
  private final UUID listenerId;
  private final long sweepTimer;
  private volatile BiConsumer<String, Set<String>> lost = (u, r) -> { };

  public HazelcastPresenceRegistry(Vertx vertx, HazelcastInstance hazelcast, String nodeId) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.users = hazelcast.getMap(USERS);
    this.rooms = hazelcast.getMap(ROOMS);
    this.listenerId = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        sweep();
      }
    });
    this.sweepTimer = vertx.setPeriodic(SWEEP_MS, t -> sweep());
  }

  @Override
  public Future<Boolean> sessionOpened(String user, Collection<String> userRooms) {
    return async(users.submitToKey(user, new PresenceOps.Opened(nodeId, userRooms))).compose(generation ->
        generation > 0 ? all(userRooms, room -> online(room, user, generation, true)).map(true) : Future.succeededFuture(false));
  }

  @Override
  public Future<Boolean> sessionClosed(String user, Collection<String> userRooms) {
    return async(users.submitToKey(user, new PresenceOps.Closed(nodeId, false))).compose(offline ->
        offline == null ? Future.succeededFuture(false) : clear(user, offline).map(true));
  }

  @Override
  public Future<Void> joined(String room, String user) {
    return async(users.submitToKey(user, new PresenceOps.Room(room, true)))
        .compose(generation -> generation > 0 ? online(room, user, generation, true) : Future.succeededFuture());
  }

  @Override
  public Future<Void> left(String room, String user) {
    return async(users.submitToKey(user, new PresenceOps.Room(room, false)))
        .compose(generation -> online(room, user, Math.abs(generation), false));
  }

  @Override
  public Future<RoomPresence> room(String room, int limit) {
    return async(rooms.getAsync(room)).map(online -> {
      if (online == null) {
        return new RoomPresence(List.of(), 0);
      }
      List<String> listed = new ArrayList<>(Math.min(limit, online.size()));
      for (String u : online.keySet()) {
        if (listed.size() >= limit) {
          break;
        }
        listed.add(u);
      }
      return new RoomPresence(listed, online.size());
    });
  }

  @Override
  public Future<Boolean> isOnline(String user) {
    return async(users.getAsync(user)).map(p -> p != null && p.online());
  }

  @Override
  public Future<Integer> sessions(String user) {
    return async(users.getAsync(user)).map(p -> p == null ? 0 : p.sessions());
  }

  private Future<Void> clear(String user, PresenceOps.Offline offline) {
    return all(offline.rooms(), room -> online(room, user, offline.generation(), false));
  }

  @Override
  public void onLost(BiConsumer<String, Set<String>> listener) {
    this.lost = listener;
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweepTimer);
    try {
      hazelcast.getCluster().removeMembershipListener(listenerId);
    } catch (RuntimeException alreadyShutDown) {
      // Hazelcast is going down with the node
    }
  }

  /** On the oldest member only: removes sessions of nodes that are no longer in the cluster. */
  private void sweep() {
    Set<Member> members;
    try {
      members = hazelcast.getCluster().getMembers();
    } catch (RuntimeException shuttingDown) {
      return;
    }
    if (members.isEmpty() || !members.iterator().next().localMember()) {
      return;
    }
    Set<String> live = new HashSet<>();
    members.forEach(m -> live.add(m.getAttribute(NODE_ID_ATTRIBUTE)));
    // runs on the members that own the entries; only users with sessions on dead nodes are touched
    vertx.executeBlocking(() -> users.executeOnEntries(new PresenceOps.ClosedDead(live), new PresenceOps.OnDeadNodes(live)), false)
        .onSuccess(results -> results.forEach((user, offline) -> {
          if (offline != null) {
            clear(user, offline).onSuccess(v -> lost.accept(user, offline.rooms()));
          }
        }))
        .onFailure(e -> LOG.warn("presence sweep failed: " + e.getMessage()));
  }

  private Future<Void> online(String room, String user, long generation, boolean add) {
    return async(rooms.submitToKey(room, new PresenceOps.Online(user, generation, add))).mapEmpty();
  }

  private static Future<Void> all(Collection<String> items, java.util.function.Function<String, Future<Void>> op) {
    List<Future<Void>> futures = new ArrayList<>(items.size());
    items.forEach(i -> futures.add(op.apply(i)));
    return Future.all(futures).mapEmpty();
  }

  private static <T> Future<T> async(java.util.concurrent.CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage);
  }
}
