package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
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
        // the verifier fails only with AuthException; anything else must still close, never echo internals
        String reason = ar.cause() instanceof AuthException ? ar.cause().getMessage() : "invalid token";
        s.close(CloseCode.UNAUTHORIZED, "refresh rejected: " + reason);
      } else if (!ar.result().user().equals(s.user())) {
        s.close(CloseCode.UNAUTHORIZED, "refresh token is for a different user");
      } else {
        s.claimsChanged(ar.result());
      }
    });
  }
}
