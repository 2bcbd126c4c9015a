package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Set;

/** Persistent room membership: survives disconnects, so offline members get the room on resume. */
public interface MembershipStore {

  /** @return true if the user was not a member before */
  Future<Boolean> join(String room, String user);

  /** @return true if the user was a member */
  Future<Boolean> leave(String room, String user);

  /** Room ids the user is a member of. */
  Future<Set<String>> rooms(String user);

  /** User ids that are members of the room. */
  Future<Set<String>> members(String room);
}
