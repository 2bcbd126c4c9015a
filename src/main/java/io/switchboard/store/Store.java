package io.switchboard.store;

import io.vertx.core.Future;

/**
 * Everything the gateway keeps durably. Implementations must be safe to call from any event loop;
 * their futures may complete on any thread, so callers hop back to their own context.
 */
public interface Store extends MessageLog, CursorStore, MembershipStore, NodeBeats {

  /** Succeeds while the store can serve requests (readiness). */
  Future<Void> ping();

  Future<Void> close();
}
