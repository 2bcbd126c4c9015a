package io.switchboard.cluster;

import io.vertx.core.json.JsonObject;

/** What the cluster knows of a node: for the API's node list and for operators. */
public record NodeInfo(String id, String name, int connections, boolean draining, long startedAt) {

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("connections", connections)
        .put("draining", draining).put("startedAt", startedAt);
  }

  public static NodeInfo fromJson(JsonObject o) {
    return new NodeInfo(o.getString("id"), o.getString("name"), o.getInteger("connections"),
        o.getBoolean("draining"), o.getLong("startedAt"));
  }
}
