package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.routing.ControlEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** A user's presence, and disconnecting all of a user's sessions. */
final class UsersApi {

  static final String DEFAULT_REASON = "disconnected by the service";

  private final Services services;

  UsersApi(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.get("/users/:user/presence").handler(this::presence);
    api.post("/users/:user/disconnect").handler(this::disconnect);
  }

  private void presence(RoutingContext ctx) {
    try {
      String user = Params.id(ctx, "user");
      PresenceRegistry registry = services.presence().registry();
      ApiResponses.reply(ctx, ApiResponses.ifKnown(registry, user, registry.sessions(user)).map(n ->
          new JsonObject().put("user", user).put("online", n > 0).put("sessions", n)));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  /**
   * Every session of the user open now, on every node, is closed with 4403 (clients do not
   * reconnect). Answered once the kick is in the control log: from then on it takes effect within
   * the repair bound even if its event-bus message is lost.
   */
  private void disconnect(RoutingContext ctx) {
    try {
      String user = Params.id(ctx, "user");
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      Object reason = body == null ? null : body.getValue("reason");
      if (reason != null && (!(reason instanceof String) || ((String) reason).length() > 100)) {
        throw ApiException.badRequest("\"reason\" must be a string of at most 100 characters");
      }
      ApiResponses.reply(ctx, 202, services.controlLog()
          .publish(ControlEvent.kick(user, reason == null ? DEFAULT_REASON : (String) reason))
          .map(v -> new JsonObject().put("user", user)));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    } catch (RuntimeException e) {
      ApiResponses.fail(ctx, ApiException.badRequest("the request body is not a JSON object"));
    }
  }
}
