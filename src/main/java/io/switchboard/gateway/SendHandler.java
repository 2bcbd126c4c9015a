package io.switchboard.gateway;

import io.switchboard.auth.Permissions;
import io.switchboard.backend.ProxyRefusal;
import io.switchboard.backend.PublishProxy;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;

/**
 * send: check the token's rights, ask the publish proxy where one covers the stream, then
 * {@link io.switchboard.routing.Publisher}. The sender is always the token's user: nothing in the
 * frame (or the proxy's answer) can change it. {@code sent} is written only after the append
 * succeeded, so a client told "sent" can rely on the message being stored.
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
    PublishProxy proxy = s.services().proxies().publish();
    if (proxy == null || !proxy.covers(send.to())) {
      store(s, send, send.body());
      return;
    }
    OnContext.back(s.manager.context(), proxy.check(s.user(), send.to(), send.body(), send.id(), s.id, s.device))
        .onComplete(ar -> {
          if (s.isClosed()) {
            return;
          }
          if (ar.succeeded()) {
            store(s, send, ar.result());
          } else if (ar.cause() instanceof ProxyRefusal refusal) {
            s.write(ServerFrames.rejected(send.ref(), refusal.code(), refusal.getMessage()), FrameType.ERROR);
          } else {
            s.error(send.ref(), ErrorCode.UNAVAILABLE, "not stored: the application did not answer, retry with the same id "
                + "(a retry never stores it twice)");
          }
        });
  }

  private static void store(Session s, ClientFrame.Send send, String body) {
    OnContext.back(s.manager.context(),
        s.services().publisher().send(s.user(), send.to(), body, send.id(), send.transientOnly(), s.id)).onComplete(ar -> {
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
