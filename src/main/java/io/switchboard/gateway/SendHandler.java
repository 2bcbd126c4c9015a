package io.switchboard.gateway;

import io.switchboard.auth.Permissions;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.routing.Delivery;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.util.OnContext;

/**
 * send → append to the stream's log → publish on the stream's address → sent. The sender is always
 * the token's user: nothing in the frame can change it. {@code sent} is written only after the
 * append succeeded, so a client told "sent" can rely on the message being stored.
 */
final class SendHandler {

  private SendHandler() {
  }

  static void handle(Session s, ClientFrame.Send send) {
    Services sv = s.services();
    boolean member = StreamName.kindOf(send.to()) == StreamName.Kind.ROOM && s.streams.containsKey(send.to());
    if (!Permissions.canSend(s.claims, send.to(), member)) {
      s.error(send.ref(), ErrorCode.FORBIDDEN, "not allowed to send to " + send.to());
      return;
    }
    if (send.transientOnly()) {
      String id = send.id() != null ? send.id() : MessageIds.next();
      sv.bus().publish(Delivery.transientMessage(send.to(), id, s.user(), send.body(), System.currentTimeMillis(), s.id));
      sv.metrics().messageSent(send.to(), false);
      s.write(ServerFrames.sent(send.ref(), send.to(), 0, id), FrameType.SENT);
      return;
    }
    AppendRequest request = new AppendRequest(send.to(), s.user(), send.body(), send.id());
    OnContext.back(s.manager.context(), sv.store().append(request)).onComplete(ar -> {
      if (ar.failed()) {
        s.error(send.ref(), ErrorCode.UNAVAILABLE, "message not stored: store unavailable, retry with the same id");
        return;
      }
      AppendResult result = ar.result();
      if (result.message() != null) {
        // a retried send is published again: if the first publish died with its node, this closes
        // the hole for live receivers; those who already have it drop it by seq
        sv.bus().publish(Delivery.message(result.message(), result.duplicate() ? 0 : GatewayMetrics.nowMicros()));
      }
      if (!result.duplicate()) {
        sv.metrics().messageSent(send.to(), true);
      }
      s.write(ServerFrames.sent(send.ref(), send.to(), result.seq(), result.id()), FrameType.SENT);
    });
  }
}
