package io.switchboard.presence;

import io.vertx.core.Future;

import java.util.Collection;

/** The sessions this node holds, as the gateway knows them: what presence writes again after a merge. */
@FunctionalInterface
public interface LocalSessions {

  LocalSessions NONE = visitor -> Future.succeededFuture();

  /**
   * Calls {@code visitor} for every open session counted in presence, on the session's own event
   * loop, so that nothing else of that session runs in between. Completes once every loop is done.
   */
  Future<Void> forEachCounted(Visitor visitor);

  @FunctionalInterface
  interface Visitor {
    void visit(String session, String user, Collection<String> rooms);
  }
}
