package io.switchboard.cluster;

import io.vertx.core.Future;

import java.util.List;

/** The nodes of the cluster and their connection counts. */
public interface NodeDirectory {

  Future<List<NodeInfo>> nodes();

  default void close() {
  }
}
