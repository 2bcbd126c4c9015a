package io.switchboard.routing;

import io.vertx.core.Future;

import java.util.Set;

/** Where a user's sessions are: the ids of the nodes holding at least one open session of theirs. */
public interface UserLocator {

  /**
   * The nodes holding the user's open sessions as the registry knows them now. A session counted
   * before this call started is in the answer (the registry is linearizable per user).
   */
  Future<Set<String>> nodesOf(String user);
}
