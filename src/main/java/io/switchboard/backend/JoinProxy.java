package io.switchboard.backend;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Whether a user may join a room its token does not name, asked of the backend: 2xx allows (the
 * membership is then recorded as granted, like one the HTTP API adds, so the user follows the room on
 * its next connections whatever its token says), 403 refuses with the backend's reason.
 */
public final class JoinProxy {

  private final ProxyCall call;
  private final String node;

  JoinProxy(ProxyCall call, String node) {
    this.call = call;
    this.node = node;
  }

  static Set<Integer> refusals() {
    return Set.of(403);
  }

  /** Fails with {@link ProxyRefusal} or {@link BackendUnavailableException}. */
  public Future<Void> allow(String user, String room, String session, String device) {
    JsonObject request = new JsonObject().put("user", user).put("room", room).put("session", session)
        .put("device", device).put("node", node);
    return call.call(request, answer -> {
      if (!answer.allowed()) {
        throw new ProxyRefusal(null, answer.reason("not allowed to join room " + room));
      }
      return null;
    });
  }
}
