package io.switchboard.gateway;

import io.switchboard.auth.Permissions;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.routing.ControlEvent;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which rooms one session follows, and how that changes: a membership is followed while the
 * session's token allows the room or the HTTP API granted it; joins and leaves made elsewhere (the
 * user's other sessions, the API) arrive as control events and are followed here, with a
 * {@code joined} or {@code left} frame without ref so every tab's view of its rooms stays right.
 */
final class RoomFollowing {

  private static final Logger LOG = LoggerFactory.getLogger(RoomFollowing.class);

  private final Session session;
  /** Rooms the HTTP API granted (followed whatever the token says). */
  private final Set<String> granted = new HashSet<>(2);
  /** Membership changes that arrived during hello, the last per room; null when none. */
  private Map<String, ControlEvent> pending;

  RoomFollowing(Session session) {
    this.session = session;
  }

  /** Whether a membership may be followed: the API granted it, or the token allows the room. */
  boolean mayFollow(String room, boolean grantedByApi) {
    return grantedByApi || Permissions.canJoin(session.claims, room);
  }

  /** A membership hello found and follows. */
  void following(String room, boolean grantedByApi) {
    if (grantedByApi) {
      granted.add(room);
    }
  }

  boolean granted(String room) {
    return granted.contains(room);
  }

  /**
   * A join or leave of this user made elsewhere. During hello it is kept, the last per room, and
   * applied once the session is open: the rooms hello read may predate it.
   */
  void changed(ControlEvent e) {
    if (session.isOpen()) {
      apply(e);
      return;
    }
    if (pending == null) {
      pending = new LinkedHashMap<>();
    }
    pending.remove(e.room());
    pending.put(e.room(), e);
    if (pending.size() > session.services().options().getLimits().getMaxRoomsPerUser()) {
      // more changes during one hello than a user may have rooms: start over with a fresh hello
      session.close(CloseCode.TRY_AGAIN_LATER, "memberships changed during hello, reconnect");
    }
  }

  /** The session opened: the changes kept during hello apply now. */
  void opened() {
    if (pending != null) {
      Map<String, ControlEvent> kept = pending;
      pending = null;
      kept.values().forEach(this::apply);
    }
  }

  /**
   * The token was replaced: rooms this user joined with a token that no longer allows them are no
   * longer followed (the membership stays, for a later token that allows them again).
   */
  void claimsChanged() {
    for (String room : session.roomIds()) {
      if (!mayFollow(room, granted.contains(room))) {
        session.unsubscribe(StreamName.room(room));
        session.write(ServerFrames.left(null, room), FrameType.LEFT);
      }
    }
  }

  private void apply(ControlEvent e) {
    String room = e.room();
    String stream = StreamName.room(room);
    if (e.kind() == ControlEvent.Kind.LEFT) {
      granted.remove(room);
      if (session.streams.containsKey(stream)) {
        session.unsubscribe(stream);
        session.write(ServerFrames.left(null, room), FrameType.LEFT);
      }
      return;
    }
    if (e.granted()) {
      granted.add(room);
    }
    if (session.streams.containsKey(stream) || !mayFollow(room, e.granted())) {
      return;
    }
    session.subscribe(stream)
        .compose(ss -> OnContext.back(session.manager.context(), session.services().presence().room(room)).map(p -> {
          // joined first, then the room's messages: until start, live ones are only noted
          session.write(ServerFrames.joined(null, room, e.head().seq(), Position.wireEpoch(e.head().epoch()), p.users(),
              p.count()), FrameType.JOINED);
          if (session.receives(ss)) {
            ss.start(e.head().epoch(), e.head().seq() + 1, false, false);
          }
          return ss;
        }))
        .onFailure(err -> {
          // the room would stay silent: the client reconnects and its hello follows the room afresh
          LOG.warn("session " + session.id + " could not follow join of " + stream + ": " + err.getMessage());
          session.close(CloseCode.TRY_AGAIN_LATER, "could not follow room " + room + ", reconnect");
        });
  }
}
