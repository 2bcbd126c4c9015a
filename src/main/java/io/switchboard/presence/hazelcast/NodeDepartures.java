package io.switchboard.presence.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import io.switchboard.store.NodeBeats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import static io.switchboard.presence.hazelcast.HazelcastPresenceRegistry.view;

/**
 * The nodes that left this member's view, and the cleanup of the sessions of those that died.
 *
 * <p>A node is dead when Hazelcast removed it <em>and</em> its beat in the store ({@link NodeBeats})
 * expired: Hazelcast alone cannot tell a dead node from one cut off by a partition, nor from the view
 * of a node that was frozen and woke up believing everyone else died. When a member leaves, every
 * member notes it; once a second its beat is checked, and when it has expired the oldest member
 * removes the sessions of every node that is neither a member nor beating, and hands each user who
 * went offline to the registry. The oldest member also does so every {@link #SWEEP_MS}, so a cleanup
 * cut short by another failure is finished later.
 *
 * <p>It also tells the {@link LostPartitions} of every change of the view, and of the returns that
 * are merges: Hazelcast's MERGED event on the members that joined the larger half, and the return
 * of a member this one had seen leave (it never stopped beating), on the members of the larger half.
 */
final class NodeDepartures {

  private static final Logger LOG = LoggerFactory.getLogger(NodeDepartures.class);
  static final long SWEEP_MS = 15_000;
  /** How often a node that left the view is checked for a beat that has expired. */
  static final long RECHECK_MS = 1_000;
  static final int MAX_DEPARTED = 1024;

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final NodeBeats beats;
  private final IMap<String, UserPresence> users;
  private final LostPartitions lostPartitions;
  private final BiConsumer<String, PresenceAnswers.Offline> wentOffline;
  private final UUID membershipListener;
  private final UUID lifecycleListener;
  private final long sweepTimer;
  private final long recheckTimer;
  /** Nodes removed from the view whose beat was fresh when last checked. */
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();
  /**
   * Nodes removed from the view, whether found dead since or not: their return is a merge. A dead
   * node never returns (a restart is a new node id), so only the most recent are kept.
   */
  private final Set<String> departed = Collections.synchronizedSet(new LinkedHashSet<>());
  private volatile boolean merging;

  /**
   * @param wentOffline told, on a Vert.x context, of each user whose last session was on nodes
   *                    found dead, with what the removal answered
   */
  NodeDepartures(Vertx vertx, HazelcastInstance hazelcast, NodeBeats beats, IMap<String, UserPresence> users,
                 LostPartitions lostPartitions, BiConsumer<String, PresenceAnswers.Offline> wentOffline) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.beats = beats;
    this.users = users;
    this.lostPartitions = lostPartitions;
    this.wentOffline = wentOffline;
    this.membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        lostPartitions.viewChanged();
        String id = event.getMember().getAttribute(HazelcastPresenceRegistry.NODE_ID_ATTRIBUTE);
        leaving.remove(id);
        if (id != null && departed.remove(id)) {
          LOG.info("node " + id + " is back in the cluster: writing this node's sessions again");
          lostPartitions.repair();
        }
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        lostPartitions.viewChanged();
        String id = event.getMember().getAttribute(HazelcastPresenceRegistry.NODE_ID_ATTRIBUTE);
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

  /** {@code nodes} without those that left the view (found dead or not): the event bus cannot reach them. */
  Set<String> reachable(Set<String> nodes) {
    Set<String> out = new HashSet<>(nodes);
    synchronized (departed) {
      out.removeAll(departed);
    }
    return Set.copyOf(out);
  }

  void close() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(recheckTimer);
    try {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
    } catch (RuntimeException alreadyShutDown) {
      // Hazelcast is going down with the node
    }
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
              wentOffline.accept(user, offline);
            }
          });
        })
        .onFailure(e -> LOG.warn("presence sweep failed, next one in at most " + SWEEP_MS + " ms: " + e.getMessage()));
  }
}
