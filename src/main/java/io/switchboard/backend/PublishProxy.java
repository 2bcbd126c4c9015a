package io.switchboard.backend;

import io.switchboard.auth.GlobPattern;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * A client's send to a configured stream, shown to the backend before it is stored: 2xx stores it (as
 * it is, or with the {@code body} the answer gives instead: moderation, enrichment), 403 or 422 refuses
 * it with the backend's {@code code} and {@code message}, which the client receives.
 */
public final class PublishProxy {

  private final ProxyCall call;
  private final String node;
  private final List<GlobPattern> streams;
  private final int maxBodyBytes;

  PublishProxy(ProxyCall call, String node, List<String> streams, int maxBodyBytes) {
    this.call = call;
    this.node = node;
    this.streams = streams.stream().map(GlobPattern::new).toList();
    this.maxBodyBytes = maxBodyBytes;
  }

  static Set<Integer> refusals() {
    return Set.of(403, 422);
  }

  public boolean covers(String stream) {
    return streams.stream().anyMatch(p -> p.matches(stream));
  }

  /**
   * @param body the send's body as JSON text
   * @return the body to store, as JSON text
   * Fails with {@link ProxyRefusal} or {@link BackendUnavailableException}.
   */
  public Future<String> check(String user, String to, String body, String id, String session, String device) {
    JsonObject request = new JsonObject().put("user", user).put("to", to).put("id", id).put("session", session)
        .put("device", device).put("node", node);
    try {
      request.put("body", Json.decodeValue(body));
    } catch (DecodeException e) {
      // the frame parser only lets JSON bodies through; should one slip by, the backend still sees it
      request.put("body", body);
    }
    return call.call(request, answer -> {
      if (!answer.allowed()) {
        Object code = answer.body().getValue("code");
        throw new ProxyRefusal(code instanceof String ? (String) code : null,
            answer.body().getValue("message") instanceof String m ? m : "refused by the application");
      }
      if (!answer.body().containsKey("body")) {
        return body;
      }
      String replaced = Json.encode(answer.body().getValue("body"));
      if (replaced.length() > maxBodyBytes) {
        throw new BackendUnavailableException("replacement body is larger than limits.maxMessageBytes");
      }
      return replaced;
    });
  }
}
