package io.switchboard.api;

import io.switchboard.protocol.StreamName;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/**
 * A send from a backend (HTTP API or event bus), validated like a client's: same stream names,
 * same id rules, same size limit. The backend names the sender, by default {@value #DEFAULT_FROM}.
 */
record SendRequest(String to, String from, String body, String id, boolean transientOnly) {

  static final String DEFAULT_FROM = "server";

  static SendRequest parse(String to, JsonObject json, int maxBytes) {
    if (json == null) {
      throw ApiException.badRequest("the request body must be a JSON object with a \"body\"");
    }
    if (StreamName.kindOf(to) == null) {
      throw ApiException.badRequest("not a stream: use user:<id>, room:<id> or all");
    }
    if (!json.containsKey("body")) {
      throw ApiException.badRequest("missing \"body\"");
    }
    Object from = json.getValue("from", DEFAULT_FROM);
    if (!(from instanceof String) || !StreamName.isValidId((String) from)) {
      throw ApiException.badRequest("\"from\" must be 1-128 characters of letters, digits and _.:@|+=-");
    }
    Object id = json.getValue("id");
    if (id != null && (!(id instanceof String) || !StreamName.isValidId((String) id))) {
      throw ApiException.badRequest("\"id\" must be 1-128 characters of letters, digits and _.:@|+=-");
    }
    Object transientFlag = json.getValue("transient", false);
    if (!(transientFlag instanceof Boolean)) {
      throw ApiException.badRequest("\"transient\" must be true or false");
    }
    String body = Json.encode(json.getValue("body"));
    if (body.length() > maxBytes) {
      throw new ApiException(413, "too_large", "body larger than limits.maxMessageBytes (" + maxBytes + ")");
    }
    return new SendRequest(to, (String) from, body, (String) id, (Boolean) transientFlag);
  }
}
