package io.switchboard.api;

import io.switchboard.cluster.NodeInfo;
import io.switchboard.gateway.Services;
import io.switchboard.routing.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The cluster's nodes with their connection counts, and draining one of them. */
final class NodesApi {

  static final long CONTROL_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Services services;

  NodesApi(Vertx vertx, Services services) {
    this.vertx = vertx;
    this.services = services;
  }

  void mount(Router api) {
    api.get("/nodes").handler(this::list);
    api.post("/drain").handler(this::drainThisNode);
    api.post("/nodes/:node/drain").handler(this::drainNode);
  }

  private void list(RoutingContext ctx) {
    ApiResponses.reply(ctx, services.directory().nodes().map(nodes -> {
      JsonArray out = new JsonArray();
      nodes.stream().map(NodeInfo::toJson).forEach(out::add);
      return new JsonObject().put("nodes", out);
    }));
  }

  /** For a preStop hook on localhost: the node that receives the call drains. */
  private void drainThisNode(RoutingContext ctx) {
    ApiResponses.reply(ctx, 202, services.control().drainAndStop().map(window ->
        new JsonObject().put("node", services.control().nodeId()).put("drainMs", window)));
  }

  private void drainNode(RoutingContext ctx) {
    String node = ctx.pathParam("node");
    ApiResponses.reply(ctx, 202, vertx.eventBus()
        .<JsonObject>request(Addresses.drain(node), new JsonObject(), new DeliveryOptions().setSendTimeout(CONTROL_TIMEOUT_MS))
        .recover(e -> io.vertx.core.Future.failedFuture(ApiException.notFound("no node " + node + " answered")))
        .map(reply -> reply.body()));
  }
}
