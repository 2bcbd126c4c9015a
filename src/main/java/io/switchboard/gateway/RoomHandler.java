package io.switchboard.gateway;

import io.switchboard.auth.Permissions;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.routing.Delivery;
import io.switchboard.util.OnContext;
import io.vertx.core.Future;

import java.util.List;

/**
 * join and leave. Membership is stored first (it outlives the connection), then this session follows
 * the room, and the user's other sessions are told through the user's own stream so they follow too.
 */
final class RoomHandler {

  private RoomHandler() {
  }

  static void join(Session s, ClientFrame.Join join) {
    Services sv = s.services();
    String room = join.room();
    String stream = StreamName.room(room);
    if (!Permissions.canJoin(s.claims, room)) {
      s.error(join.ref(), ErrorCode.FORBIDDEN, "token does not allow joining room " + room);
      return;
    }
    int max = sv.options().getLimits().getMaxRoomsPerUser();
    if (!s.streams.containsKey(stream) && s.roomIds().size() >= max) {
      s.error(join.ref(), ErrorCode.FORBIDDEN, "room limit reached: at most " + max + " rooms per user");
      return;
    }
    back(s, sv.store().join(room, s.user())).compose(added ->
        s.subscribe(stream)
            .compose(ss -> back(s, sv.store().heads(List.of(stream))).map(heads -> {
              long head = heads.getOrDefault(stream, 0L);
              if (s.receives(ss)) {
                // a session already following the room keeps its position: start only counts once
                ss.start(head + 1, false);
              }
              return head;
            }))
            // presence first, so the user's other sessions read a room that already counts them
            .compose(head -> (added ? back(s, sv.presence().joined(room, s.user())) : Future.<Void>succeededFuture())
                .map(v -> {
                  if (added) {
                    sv.bus().publish(Delivery.membership(s.user(), room, true, head, s.id));
                  }
                  return head;
                }))
            .compose(head -> back(s, sv.presence().room(room))
                .map(p -> ServerFrames.joined(join.ref(), room, head, p.users(), p.count()))))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            s.write(ar.result(), FrameType.JOINED);
          } else {
            s.error(join.ref(), ErrorCode.UNAVAILABLE, "could not join " + room + ": store unavailable");
          }
        });
  }

  /** Idempotent: leaving a room one is not in answers {@code left} as well. */
  static void leave(Session s, ClientFrame.Leave leave) {
    Services sv = s.services();
    String room = leave.room();
    back(s, sv.store().leave(room, s.user())).onComplete(ar -> {
      if (ar.failed()) {
        s.error(leave.ref(), ErrorCode.UNAVAILABLE, "could not leave " + room + ": store unavailable");
        return;
      }
      s.unsubscribe(StreamName.room(room));
      if (ar.result()) {
        sv.presence().left(room, s.user());
        sv.bus().publish(Delivery.membership(s.user(), room, false, 0, s.id));
      }
      s.write(ServerFrames.left(leave.ref(), room), FrameType.LEFT);
    });
  }

  private static <T> Future<T> back(Session s, Future<T> f) {
    return OnContext.back(s.manager.context(), f);
  }
}
