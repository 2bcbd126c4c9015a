package io.switchboard.gateway;

import io.switchboard.backend.JoinProxy;
import io.switchboard.backend.ProxyRefusal;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;

/**
 * join and leave from a client. The asking session subscribes to the room before the join is
 * recorded, so that no message appended after the head it is given can be missed; the rest (store,
 * presence, the user's other sessions) is {@link io.switchboard.routing.Memberships}.
 */
final class RoomHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RoomHandler.class);

  private RoomHandler() {
  }

  /** @return answered: completes once the join's answer ({@code joined} or an error) is written */
  static Future<Void> join(Session s, ClientFrame.Join join) {
    Services sv = s.services();
    String room = join.room();
    boolean allowed = s.rooms.mayFollow(room, s.rooms.granted(room));
    JoinProxy proxy = sv.proxies().join();
    if (!allowed && proxy == null) {
      s.error(join.ref(), ErrorCode.FORBIDDEN, "token does not allow joining room " + room);
      return Future.succeededFuture();
    }
    int max = sv.options().getLimits().getMaxRoomsPerUser();
    if (!s.streams.containsKey(StreamName.room(room)) && s.roomIds().size() >= max) {
      s.error(join.ref(), ErrorCode.FORBIDDEN, "room limit reached: at most " + max + " rooms per user");
      return Future.succeededFuture();
    }
    if (allowed) {
      return record(s, join, false);
    }
    return back(s, proxy.allow(s.user(), room, s.id, s.device)).transform(ar -> {
      if (s.isClosed()) {
        return Future.succeededFuture();
      }
      if (ar.succeeded()) {
        // the backend's yes is a grant, as the API's: kept with the membership, followed on every connection
        s.rooms.following(room, true);
        return record(s, join, true);
      } else if (ar.cause() instanceof ProxyRefusal) {
        s.error(join.ref(), ErrorCode.FORBIDDEN, ar.cause().getMessage());
      } else {
        s.error(join.ref(), ErrorCode.UNAVAILABLE, "could not join " + room + ": the application did not answer, retry");
      }
      return Future.succeededFuture();
    });
  }

  /** @param granted the join proxy allowed a room the token does not */
  private static Future<Void> record(Session s, ClientFrame.Join join, boolean granted) {
    Services sv = s.services();
    String room = join.room();
    String stream = StreamName.room(room);
    boolean following = s.streams.containsKey(stream);
    return s.subscribe(stream)
        .compose(ss -> back(s, sv.memberships().join(room, s.user(), granted, s.id))
            .compose(change -> back(s, sv.presence().room(room)).map(p -> {
              // joined first, then the room's messages: until start, live ones are only noted
              s.write(ServerFrames.joined(join.ref(), room, change.head().seq(), Position.wireEpoch(change.head().epoch()),
                  p.users(), p.count()), FrameType.JOINED);
              if (s.receives(ss)) {
                // a session already following the room keeps its position: start only counts once
                ss.start(change.head().epoch(), change.head().seq() + 1, false, false);
              }
              return change;
            })))
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("join of " + room + " by " + s.user() + " failed: " + ar.cause());
            if (!following) {
              s.unsubscribe(stream);
            }
            s.error(join.ref(), ErrorCode.UNAVAILABLE, "could not join " + room + ": store unavailable");
          }
          return Future.<Void>succeededFuture();
        });
  }

  /**
   * Idempotent: leaving a room one is not in answers {@code left} as well.
   *
   * @return answered: completes once {@code left} or the error is written
   */
  static Future<Void> leave(Session s, ClientFrame.Leave leave) {
    String room = leave.room();
    return back(s, s.services().memberships().leave(room, s.user(), s.id)).transform(ar -> {
      if (ar.failed()) {
        s.error(leave.ref(), ErrorCode.UNAVAILABLE, "could not leave " + room + ": store unavailable");
      } else {
        s.unsubscribe(StreamName.room(room));
        s.write(ServerFrames.left(leave.ref(), room), FrameType.LEFT);
      }
      return Future.<Void>succeededFuture();
    });
  }

  private static <T> Future<T> back(Session s, Future<T> f) {
    return OnContext.back(s.manager.context(), f);
  }
}
