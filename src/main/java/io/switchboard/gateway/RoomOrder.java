package io.switchboard.gateway;

import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.StreamName;
import io.vertx.core.Future;

import java.util.HashMap;
import java.util.Map;

/**
 * A session's sends to a room wait for its join or leave of that room still being answered. Frames
 * are handled as they arrive and a membership is recorded asynchronously, so a send pipelined right
 * behind its join would otherwise be checked before the join is recorded (and refused), and one
 * behind a leave accepted. Like the frames pipelined behind {@code hello}, what waits is bounded.
 * Confined to the session's event loop.
 */
final class RoomOrder {

  /** Sends one session may have waiting at once; more are answered {@code unavailable}. */
  static final int MAX_WAITING = 100;

  /** Room id → answered once every join and leave of it in progress is; null until the first one. */
  private Map<String, Future<Void>> inProgress;
  private int waiting;

  /** A join or leave of {@code room} began; {@code answered} completes once its answer is written. */
  void started(String room, Future<Void> answered) {
    if (answered.isComplete()) {
      return;
    }
    if (inProgress == null) {
      inProgress = new HashMap<>(4);
    }
    Future<Void> before = inProgress.get(room);
    Future<Void> all = before == null ? answered : Future.join(before, answered).mapEmpty();
    inProgress.put(room, all);
    all.onComplete(done -> inProgress.remove(room, all));
  }

  /** Handles {@code send} now, or once the join or leave of its room in progress is answered. */
  void send(Session s, ClientFrame.Send send) {
    Future<Void> before = inProgress == null || StreamName.kindOf(send.to()) != StreamName.Kind.ROOM
        ? null : inProgress.get(StreamName.idOf(send.to()));
    if (before == null) {
      SendHandler.handle(s, send);
      return;
    }
    if (waiting >= MAX_WAITING) {
      s.error(send.ref(), ErrorCode.UNAVAILABLE, "not stored: " + MAX_WAITING + " sends already wait for a join or"
          + " leave to be answered; retry with the same id");
      return;
    }
    waiting++;
    // registered after the map's own clean-up: by the time this runs the membership is recorded
    before.onComplete(done -> {
      waiting--;
      if (!s.isClosed()) {
        SendHandler.handle(s, send);
      }
    });
  }
}
