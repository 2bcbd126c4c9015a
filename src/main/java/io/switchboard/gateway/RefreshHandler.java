package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.util.OnContext;
import io.vertx.core.Future;

/** refresh: swap in a new token before the old one expires. Answers nothing, or closes with 4401. */
final class RefreshHandler {

  private RefreshHandler() {
  }

  static void handle(Session s, ClientFrame.Refresh refresh) {
    Future<Claims> verified;
    try {
      verified = s.services().tokens().verify(refresh.token());
    } catch (RuntimeException e) {
      verified = Future.failedFuture(new AuthException("invalid token"));
    }
    OnContext.back(s.manager.context(), verified).onComplete(ar -> {
      if (s.isClosed()) {
        return;
      }
      if (ar.failed()) {
        s.services().metrics().handshake(GatewayMetrics.Handshake.UNAUTHORIZED);
        s.close(CloseCode.UNAUTHORIZED, "refresh rejected: " + ar.cause().getMessage());
      } else if (!ar.result().user().equals(s.user())) {
        s.close(CloseCode.UNAUTHORIZED, "refresh token is for a different user");
      } else {
        s.claimsChanged(ar.result());
      }
    });
  }
}
