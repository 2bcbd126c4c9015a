package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.store.Position;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.TreeSet;

/** A room's presence and membership; membership changes reach the user's sessions on every node. */
final class RoomsApi {

  private final Services services;

  RoomsApi(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.get("/rooms/:room/presence").handler(this::presence);
    api.get("/rooms/:room/members").handler(this::members);
    api.put("/rooms/:room/members/:user").handler(this::join);
    api.delete("/rooms/:room/members/:user").handler(this::leave);
  }

  private void presence(RoutingContext ctx) {
    try {
      String room = Params.room(ctx, "room");
      int limit = (int) Params.longParam(ctx, "limit", services.options().getPresence().getMaxListed(), 0, 100_000);
      PresenceRegistry registry = services.presence().registry();
      ApiResponses.reply(ctx, ApiResponses.ifKnown(registry, room, registry.room(room, limit)).map(p ->
          new JsonObject().put("room", room).put("online", new JsonArray(p.users())).put("onlineCount", p.count())));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  private void members(RoutingContext ctx) {
    try {
      String room = Params.room(ctx, "room");
      ApiResponses.reply(ctx, services.store().members(room).map(m ->
          new JsonObject().put("room", room).put("members", new JsonArray(new java.util.ArrayList<>(new TreeSet<>(m))))));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  private void join(RoutingContext ctx) {
    try {
      String room = Params.room(ctx, "room");
      String user = Params.id(ctx, "user");
      ApiResponses.reply(ctx, services.memberships().join(room, user, true, null).map(c ->
          new JsonObject().put("room", room).put("user", user).put("added", c.changed()).put("head", c.head().seq())
              .put("epoch", Position.wireEpoch(c.head().epoch()))));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  private void leave(RoutingContext ctx) {
    try {
      String room = Params.room(ctx, "room");
      String user = Params.id(ctx, "user");
      ApiResponses.reply(ctx, services.memberships().leave(room, user, null).map(c ->
          new JsonObject().put("room", room).put("user", user).put("removed", c.changed())));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }
}
