package io.switchboard.routing;

import io.switchboard.presence.PresenceService;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.MembershipStore;
import io.switchboard.store.MessageLog;
import io.vertx.core.Future;

import java.util.List;

/**
 * Joining and leaving rooms, for clients and the HTTP API: the stored membership first (it outlives
 * connections), then presence, then the user's sessions on every node are told through the user's
 * own stream so that they follow.
 */
public final class Memberships {

  /**
   * @param changed whether the membership changed (false: already a member, or not one)
   * @param head    the room's head when the join was recorded; the user receives what comes after
   */
  public record Change(String room, String user, boolean changed, long head) {
  }

  private final MembershipStore store;
  private final MessageLog log;
  private final PresenceService presence;
  private final StreamBus bus;

  public Memberships(MembershipStore store, MessageLog log, PresenceService presence, StreamBus bus) {
    this.store = store;
    this.log = log;
    this.presence = presence;
    this.bus = bus;
  }

  /**
   * @param bySession the session that asked (it follows the room itself and is not told), or null
   *                  when the API asked
   */
  public Future<Change> join(String room, String user, String bySession) {
    String stream = StreamName.room(room);
    return store.join(room, user).compose(added -> log.heads(List.of(stream)).compose(heads -> {
      long head = heads.getOrDefault(stream, 0L);
      if (!added) {
        return Future.succeededFuture(new Change(room, user, false, head));
      }
      // presence first, so the user's other sessions read a room that already counts them
      return presence.joined(room, user).map(v -> {
        bus.publish(Delivery.membership(user, room, true, head, bySession));
        return new Change(room, user, true, head);
      });
    }));
  }

  public Future<Change> leave(String room, String user, String bySession) {
    return store.leave(room, user).compose(removed -> {
      if (!removed) {
        return Future.succeededFuture(new Change(room, user, false, 0));
      }
      return presence.left(room, user).map(v -> {
        bus.publish(Delivery.membership(user, room, false, 0, bySession));
        return new Change(room, user, true, 0);
      });
    });
  }
}
