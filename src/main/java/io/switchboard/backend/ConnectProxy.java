package io.switchboard.backend;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.auth.ClaimsJson;
import io.switchboard.auth.ConnectInfo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Who a connecting client is, asked of the backend: it gets what the hello and the handshake carried
 * (an opaque token, the browser's cookies, the client's address...) and answers with the claims a JWT
 * would carry (200), or refuses (401: the client may come back with new credentials, 4401; 403: it
 * may not, 4403).
 */
public final class ConnectProxy {

  private final ProxyCall call;
  private final String node;

  ConnectProxy(ProxyCall call, String node) {
    this.call = call;
    this.node = node;
  }

  static Set<Integer> refusals() {
    return Set.of(401, 403);
  }

  /** Fails with {@link AuthException} (refused) or {@link BackendUnavailableException}. */
  public Future<Claims> authenticate(String token, String device, String client, ConnectInfo info) {
    JsonObject request = new JsonObject()
        .put("token", token).put("device", device).put("client", client)
        .put("ip", info.ip()).put("userAgent", info.userAgent()).put("origin", info.origin()).put("cookie", info.cookie())
        .put("node", node);
    return call.call(request, answer -> {
      if (!answer.allowed()) {
        throw new AuthException(answer.reason(answer.status() == 403 ? "forbidden" : "not authenticated"),
            answer.status() == 403);
      }
      return claims(answer.body());
    });
  }

  /** The answer's claims, under the names of a JWT's where they differ ({@code user} is {@code sub}). */
  private static Claims claims(JsonObject answer) {
    Object expiresAt = answer.getValue("expiresAt");
    if (expiresAt != null && !(expiresAt instanceof Number)) {
      throw new BackendUnavailableException("expiresAt is not a number of seconds since the epoch");
    }
    JsonObject principal = answer.copy();
    principal.remove("expiresAt");
    principal.put("sub", principal.remove("user"));
    try {
      return ClaimsJson.read(principal, expiresAt == null ? null : ((Number) expiresAt).longValue());
    } catch (AuthException e) {
      // the backend's answer, not the client's fault: a bug to fix there, the client retries
      throw new BackendUnavailableException("answer not usable: " + e.getMessage().replace("token sub", "user"));
    }
  }
}
