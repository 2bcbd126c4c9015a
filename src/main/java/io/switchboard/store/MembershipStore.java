package io.switchboard.store;

import io.vertx.core.Future;

import java.util.Map;
import java.util.Set;

/**
 * Persistent room membership: survives disconnects, so offline members get the room on resume.
 *
 * <p>A membership remembers whether the HTTP API granted it. One a client made with its token is
 * followed only while the user's token still allows the room; one the API granted is followed
 * whatever the token says, until the API (or the user) removes it.
 */
public interface MembershipStore {

  /**
   * @param granted  true when the HTTP API adds the member (a client's own join: false); a grant is
   *                 recorded on an existing membership too
   * @param joinedAt the room's head now; kept only by a new membership (an existing one keeps its own)
   * @return true if the user was not a member before
   */
  Future<Boolean> join(String room, String user, boolean granted, Position joinedAt);

  /** @return true if the user was a member */
  Future<Boolean> leave(String room, String user);

  /**
   * @param changed  whether the room's member set changed
   * @param outboxId the change's note in the webhook outbox, or null (see {@link #join(String, String, boolean, Position, boolean)})
   */
  record Change(boolean changed, String outboxId) {
  }

  /**
   * {@link #join(String, String, boolean, Position)}, and with {@code outbox}, a new membership noted
   * for the webhooks in the same atomic step, as {@link AppendRequest#outbox()} does for a message.
   * A store without an outbox notes nothing.
   */
  default Future<Change> join(String room, String user, boolean granted, Position joinedAt, boolean outbox) {
    return join(room, user, granted, joinedAt).map(changed -> new Change(changed, null));
  }

  /** {@link #leave(String, String)}, with the ended membership noted like {@link #join(String, String, boolean, Position, boolean)}'s. */
  default Future<Change> leave(String room, String user, boolean outbox) {
    return leave(room, user).map(changed -> new Change(changed, null));
  }

  /** The rooms the user is a member of, with their membership. */
  Future<Map<String, Membership>> rooms(String user);

  /** User ids that are members of the room. */
  Future<Set<String>> members(String room);
}
