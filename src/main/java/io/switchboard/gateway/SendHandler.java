package io.switchboard.gateway;

import io.switchboard.auth.Permissions;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;

/**
 * send: check the token's rights, then {@link io.switchboard.routing.Publisher}. The sender is
 * always the token's user: nothing in the frame can change it. {@code sent} is written only after
 * the append succeeded, so a client told "sent" can rely on the message being stored.
 */
final class SendHandler {

  private SendHandler() {
  }

  static void handle(Session s, ClientFrame.Send send) {
    boolean member = StreamName.kindOf(send.to()) == StreamName.Kind.ROOM && s.streams.containsKey(send.to());
    if (!Permissions.canSend(s.claims, send.to(), member)) {
      s.error(send.ref(), ErrorCode.FORBIDDEN, "not allowed to send to " + send.to());
      return;
    }
    OnContext.back(s.manager.context(),
        s.services().publisher().send(s.user(), send.to(), send.body(), send.id(), send.transientOnly(), s.id))
        .onComplete(ar -> {
          if (ar.failed()) {
            s.error(send.ref(), ErrorCode.UNAVAILABLE, "store unavailable: the message may not have been stored, "
                + "retry with the same id (a retry never stores it twice)");
          } else {
            s.write(ServerFrames.sent(send.ref(), send.to(), ar.result().seq(), Position.wireEpoch(ar.result().epoch()),
                ar.result().id()), FrameType.SENT);
          }
        });
  }
}
