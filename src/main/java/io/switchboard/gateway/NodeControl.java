package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** What the HTTP API and the event bus may ask of the node itself. */
public interface NodeControl {

  /** This node's id in the cluster (its own name when standalone). */
  String nodeId();

  /** The port the node serves HTTP and WebSockets on. */
  int port();

  /**
   * This node's open sessions of {@code user}: {"session", "device", "ip", "connectedAt", "rooms"}
   * each (see docs/api.md, "Look up a user").
   */
  Future<List<JsonObject>> sessionsOf(String user);

  /**
   * Drains over {@code cluster.drainMs} (clients reconnect elsewhere), then stops the node. Returns
   * once the drain has started.
   */
  Future<Long> drainAndStop();
}
