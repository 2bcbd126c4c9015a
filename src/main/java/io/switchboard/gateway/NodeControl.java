package io.switchboard.gateway;

import io.vertx.core.Future;

/** What the HTTP API and the event bus may ask of the node itself. */
public interface NodeControl {

  /** This node's id in the cluster (its own name when standalone). */
  String nodeId();

  /**
   * Drains over {@code cluster.drainMs} (clients reconnect elsewhere), then stops the node. Returns
   * once the drain has started.
   */
  Future<Long> drainAndStop();
}
