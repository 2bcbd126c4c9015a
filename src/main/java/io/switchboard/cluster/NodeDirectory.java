package io.switchboard.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The nodes of the cluster and their connection counts. */
public interface NodeDirectory {

  Future<List<NodeInfo>> nodes();

  /** Whether this node is part of the cluster (readiness); a standalone node always is. */
  default Future<Boolean> inCluster() {
    return Future.succeededFuture(true);
  }

  /** Completes once the node's own traces are gone from shared state (its beat). */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
