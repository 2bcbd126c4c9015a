package io.switchboard.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.switchboard.presence.hazelcast.HazelcastPresenceRegistry;
import io.switchboard.store.NodeBeats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * This node's beat in the store, and whether the node is in the cluster at all.
 *
 * <p>Beats go out every {@link #BEAT_MS} with a time to live of {@link #BEAT_TTL_MS}: the beat
 * interval plus the default Redis call timeout (2 s) plus a second, so one beat stuck for a whole
 * Redis timeout does not let the node's beat lapse, while a node killed with -9 stops counting as
 * alive within 4 s. Only while its Hazelcast member runs: a node whose member was shut down is not
 * part of the cluster, whatever its process does.
 *
 * <p>A node is in the cluster unless some node that beats is missing from its Hazelcast view and
 * the view is the minority of (view ∪ beating nodes); on a tie, the side holding the lowest beating
 * node id stays in. A node that woke from a long pause and runs alone while the others removed it
 * is then "not ready" until Hazelcast merges it back, instead of serving a one-node cluster.
 */
public final class ClusterLiveness {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterLiveness.class);
  public static final long BEAT_MS = 1_000;
  public static final long BEAT_TTL_MS = 4_000;

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final NodeBeats beats;
  private final Vertx vertx;
  private final long timer;
  private volatile boolean beatFailing;

  public ClusterLiveness(Vertx vertx, HazelcastInstance hazelcast, String nodeId, NodeBeats beats) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.beats = beats;
    beat();
    this.timer = vertx.setPeriodic(BEAT_MS, t -> beat());
  }

  private void beat() {
    if (!running()) {
      return;
    }
    beats.beat(nodeId, BEAT_TTL_MS).onComplete(ar -> {
      if (ar.failed() && !beatFailing) {
        LOG.warn("node beat not stored (other nodes may take this node for dead if Hazelcast loses it too): "
            + ar.cause().getMessage());
      }
      beatFailing = ar.failed();
    });
  }

  private boolean running() {
    try {
      return hazelcast.getLifecycleService().isRunning();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Whether this node is in the cluster (see the class comment); false when it cannot tell. */
  public Future<Boolean> inCluster() {
    Set<String> view = running() ? HazelcastPresenceRegistry.view(hazelcast) : Set.of();
    if (view.isEmpty()) {
      return Future.succeededFuture(false);
    }
    return beats.alive().map(alive -> inCluster(view, alive));
  }

  /**
   * @param view  node ids in this node's Hazelcast view
   * @param alive node ids with a live beat
   */
  static boolean inCluster(Set<String> view, Set<String> alive) {
    if (view.containsAll(alive)) {
      return true;
    }
    Set<String> all = new HashSet<>(view);
    all.addAll(alive);
    if (2 * view.size() != all.size()) {
      return 2 * view.size() > all.size();
    }
    return view.contains(Collections.min(alive));
  }

  /** Stops beating and removes the beat: the node is gone now, not when the beat expires. */
  public Future<Void> close() {
    vertx.cancelTimer(timer);
    return beats.forget(nodeId).recover(e -> Future.succeededFuture());
  }
}
