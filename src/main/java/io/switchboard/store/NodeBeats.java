package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Set;

/**
 * Liveness of the cluster's nodes, kept outside Hazelcast: a node is taken for dead only when
 * Hazelcast removed it <em>and</em> its beat here expired. Hazelcast alone cannot tell a dead node
 * from one on the other side of a partition, or from a node that was frozen and has just woken up
 * believing everybody else died. Expiry follows the store's own clock (Redis key expiry), never a
 * node's: nodes' clocks disagree, and tests move theirs.
 */
public interface NodeBeats {

  /** The node is alive for the next {@code ttlMs}. */
  Future<Void> beat(String nodeId, long ttlMs);

  /** Ids of the nodes whose last beat has not expired. */
  Future<Set<String>> alive();

  /** The node stopped cleanly: it is gone now, not when its beat expires. */
  Future<Void> forget(String nodeId);
}
