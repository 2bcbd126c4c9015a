package io.switchboard.presence.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The partitions of the presence maps whose every copy this member's view lost: two or more members
 * left it at once (a network split, a freeze seen from the frozen side, two nodes dying together).
 * Hazelcast hands such a partition over empty, so a user missing there reads as offline although
 * they may be online on a member out of sight. A key in a lost partition is not {@link #known} until
 * the registry is whole again: every member out of sight is back or found dead, this node has
 * written its own sessions again since the last loss or merge, and the view has not changed for
 * {@link #SETTLE_MS} (the returning members merge their entries and write their sessions again in
 * that time).
 */
final class LostPartitions {

  private static final Logger LOG = LoggerFactory.getLogger(LostPartitions.class);
  /** Quiet time after the last change of the view before lost partitions count as whole again. */
  static final long SETTLE_MS = 5_000;

  private final HazelcastInstance hazelcast;
  private final Set<Integer> lost = ConcurrentHashMap.newKeySet();
  /**
   * Writes this node's sessions again; completes when a run that started after the call is done
   * (PresenceService.reconcile), so the last call's answer covers every earlier one.
   */
  private volatile Supplier<Future<Void>> repair = Future::succeededFuture;
  /** The answer of the last repair asked; guarded by this. */
  private Future<Void> lastRepair = Future.succeededFuture();
  private long lastChangeNanos = System.nanoTime();

  LostPartitions(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  void repairWith(Supplier<Future<Void>> repair) {
    this.repair = repair;
  }

  /** Whether this member's view of the presence maps holds everything about {@code key}. */
  boolean known(Object key) {
    if (lost.isEmpty()) {
      return true;
    }
    try {
      return !lost.contains(hazelcast.getPartitionService().getPartition(key).getPartitionId());
    } catch (RuntimeException notRunning) {
      return false;
    }
  }

  /** A partition lost every copy: this node's sessions there are gone too, and are written again. */
  void lost(int partitionId) {
    boolean first;
    synchronized (this) {
      first = lost.isEmpty();
      lost.add(partitionId);
      lastChangeNanos = System.nanoTime();
    }
    if (first) {
      LOG.warn("presence lost every copy of some partitions (members left together): users there read as "
          + "unknown until the cluster is whole again; writing this node's sessions again");
    }
    repair();
  }

  /** The view changed: the settle time starts over. */
  synchronized void viewChanged() {
    lastChangeNanos = System.nanoTime();
  }

  /** This node's sessions must be written again (a loss, a merge). */
  synchronized void repair() {
    try {
      lastRepair = repair.get();
    } catch (RuntimeException e) {
      lastRepair = Future.failedFuture(e);
    }
  }

  /**
   * Called every second: retries a failed repair, and forgets the lost partitions once nothing is
   * out of sight ({@code settled}: no member removed from the view still beats, no merge runs).
   */
  void check(boolean settled) {
    if (lost.isEmpty()) {
      return;
    }
    boolean whole;
    synchronized (this) {
      if (lastRepair.failed()) {
        repair();
      }
      whole = settled && lastRepair.succeeded()
          && System.nanoTime() - lastChangeNanos >= SETTLE_MS * 1_000_000L;
      if (whole) {
        lost.clear();
      }
    }
    if (whole) {
      LOG.info("presence is whole again: every member out of sight is back or found dead");
    }
  }
}
