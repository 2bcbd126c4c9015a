package io.switchboard.gateway;

import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.util.OnContext;

/** refresh: swap in a new token before the old one expires. Answers nothing, or closes with 4401. */
final class RefreshHandler {

  private RefreshHandler() {
  }

  static void handle(Session s, ClientFrame.Refresh refresh) {
    OnContext.back(s.manager.context(), s.services().tokens().verify(refresh.token())).onComplete(ar -> {
      if (s.isClosed()) {
        return;
      }
      if (ar.failed()) {
        s.services().metrics().handshake(GatewayMetrics.Handshake.UNAUTHORIZED);
        s.close(CloseCode.UNAUTHORIZED, "refresh rejected: " + ar.cause().getMessage());
      } else if (!ar.result().user().equals(s.user())) {
        s.close(CloseCode.UNAUTHORIZED, "refresh token is for a different user");
      } else {
        s.claims = ar.result();
      }
    });
  }
}
