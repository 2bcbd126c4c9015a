package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.ConnectInfo;
import io.switchboard.backend.BackendUnavailableException;
import io.switchboard.metrics.GatewayMetrics;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.util.OnContext;

/**
 * refresh: swap in a new token before the old one expires. Answers nothing, or closes with 4401 (4403
 * when a connect proxy refuses for good). When the connect proxy makes no decision, the session
 * keeps its claims and is told {@code unavailable}: it may refresh again before they expire.
 */
final class RefreshHandler {

  private RefreshHandler() {
  }

  static void handle(Session s, ClientFrame.Refresh refresh) {
    OnContext.back(s.manager.context(), s.services().auth().authenticate(refresh.token(), s.device, null, ConnectInfo.NONE))
        .onComplete(ar -> {
          if (s.isClosed()) {
            return;
          }
          if (ar.failed() && ar.cause() instanceof BackendUnavailableException) {
            s.error(null, ErrorCode.UNAVAILABLE, "refresh not decided: the authentication backend is unavailable, "
                + "refresh again");
          } else if (ar.failed()) {
            s.services().metrics().handshake(GatewayMetrics.Handshake.UNAUTHORIZED);
            AuthException refusal = AuthException.of(ar.cause());
            s.close(refusal.closeCode(), "refresh rejected: " + refusal.getMessage());
          } else if (!ar.result().user().equals(s.user())) {
            s.close(CloseCode.UNAUTHORIZED, "refresh token is for a different user");
          } else {
            s.claimsChanged(ar.result());
          }
        });
  }
}
