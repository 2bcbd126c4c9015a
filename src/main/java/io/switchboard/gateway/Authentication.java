package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.auth.ConnectInfo;
import io.switchboard.auth.TokenVerifier;
import io.switchboard.backend.ConnectProxy;
import io.vertx.core.Future;

/**
 * Who a hello (or a refresh) is from. Without a connect proxy: the token, a JWT the node verifies.
 * With one: a token the node can verify still needs no backend call; everything else (no token, an
 * opaque one, a JWT the node cannot verify) is the backend's to decide, with the handshake's details.
 */
public final class Authentication {

  private final TokenVerifier tokens;
  private final ConnectProxy proxy;

  /**
   * @param tokens null when the node has no key of its own (a connect proxy decides everything)
   * @param proxy  null without a connect proxy
   */
  public Authentication(TokenVerifier tokens, ConnectProxy proxy) {
    if (tokens == null && proxy == null) {
      throw new IllegalArgumentException("a token key or a connect proxy is needed");
    }
    this.tokens = tokens;
    this.proxy = proxy;
  }

  /**
   * Fails with {@link AuthException} (refused: 4401, or 4403 when {@link AuthException#forbidden()}) or
   * {@link io.switchboard.backend.BackendUnavailableException} (no decision: the client tries again).
   */
  public Future<Claims> authenticate(String token, String device, String client, ConnectInfo info) {
    if (proxy == null) {
      return tokens.verify(token);
    }
    if (tokens == null || token == null || token.isEmpty()) {
      return proxy.authenticate(token, device, client, info);
    }
    return tokens.verify(token).recover(e -> proxy.authenticate(token, device, client, info));
  }
}
