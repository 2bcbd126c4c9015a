package io.switchboard.cluster;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * What the cluster knows of a node: for the API's node list, the admin console and operators.
 *
 * @param figures what the node reports about itself besides (see {@link NodeFigures}): address,
 *                version, state, rates, health; empty when unknown
 */
public record NodeInfo(String id, String name, int connections, boolean draining, long startedAt, JsonObject figures) {

  private static final Set<String> OWN = Set.of("id", "name", "connections", "draining", "startedAt");

  public NodeInfo(String id, String name, int connections, boolean draining, long startedAt) {
    this(id, name, connections, draining, startedAt, new JsonObject());
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id).put("name", name).put("connections", connections)
        .put("draining", draining).put("startedAt", startedAt);
    figures.forEach(e -> o.getMap().putIfAbsent(e.getKey(), e.getValue()));
    return o;
  }

  public static NodeInfo fromJson(JsonObject o) {
    JsonObject figures = o.copy();
    OWN.forEach(figures::remove);
    return new NodeInfo(o.getString("id"), o.getString("name"), o.getInteger("connections"),
        o.getBoolean("draining"), o.getLong("startedAt"), figures);
  }
}
