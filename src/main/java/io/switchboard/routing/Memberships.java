package io.switchboard.routing;

import io.switchboard.presence.PresenceService;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.MembershipStore;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.webhooks.WebhookEvents;
import io.vertx.core.Future;

import java.util.List;

/**
 * Joining and leaving rooms, for clients and the HTTP API: the stored membership first (it outlives
 * connections), then presence, then the user's sessions on every node are told through the control
 * log ({@link ControlLog}) so that they follow.
 */
public final class Memberships {

  /**
   * @param changed whether the membership changed (false: already a member, or not one)
   * @param head    the room's head when the join was recorded; the user receives what comes after
   */
  public record Change(String room, String user, boolean changed, Position head) {
  }

  private final MembershipStore store;
  private final MessageLog log;
  private final PresenceService presence;
  private final ControlLog control;
  private final WebhookEvents webhooks;

  public Memberships(MembershipStore store, MessageLog log, PresenceService presence, ControlLog control) {
    this(store, log, presence, control, WebhookEvents.NONE);
  }

  /** @param webhooks told of every membership that began or ended (not of a join of a member) */
  public Memberships(MembershipStore store, MessageLog log, PresenceService presence, ControlLog control,
                     WebhookEvents webhooks) {
    this.store = store;
    this.log = log;
    this.presence = presence;
    this.control = control;
    this.webhooks = webhooks;
  }

  /**
   * @param granted   the HTTP API adds the member: followed whatever the user's token allows
   * @param bySession the session that asked (it follows the room itself and is not told), or null
   *                  when the API asked
   */
  public Future<Change> join(String room, String user, boolean granted, String bySession) {
    String stream = StreamName.room(room);
    // the head first: a membership begins at it, and whatever comes after it is the member's
    return log.heads(List.of(stream)).compose(heads -> {
      Position head = heads.getOrDefault(stream, Position.NONE);
      return store.join(room, user, granted, head, webhooks.wantsMembership(true)).map(change -> {
        if (change.changed()) {
          webhooks.joined(room, user, change.outboxId());
        }
        return new Change(room, user, change.changed(), head);
      });
    }).compose(joined -> {
      boolean added = joined.changed();
      Position head = joined.head();
      if (!added && !granted) {
        return Future.succeededFuture(new Change(room, user, false, head));
      }
      // presence first, so the user's other sessions read a room that already counts them; a grant
      // of an existing membership is announced too: sessions whose token did not allow the room follow it now
      Future<Void> counted = added ? presence.joined(room, user) : Future.succeededFuture();
      return counted.compose(v -> control.publish(ControlEvent.joined(user, room, head, granted, bySession)))
          .map(v -> joined);
    });
  }

  public Future<Change> leave(String room, String user, String bySession) {
    return store.leave(room, user, webhooks.wantsMembership(false)).compose(removal -> {
      if (!removal.changed()) {
        return Future.succeededFuture(new Change(room, user, false, Position.NONE));
      }
      webhooks.left(room, user, removal.outboxId());
      return presence.left(room, user)
          .compose(v -> control.publish(ControlEvent.left(user, room, bySession)))
          .map(v -> new Change(room, user, true, Position.NONE));
    });
  }
}
