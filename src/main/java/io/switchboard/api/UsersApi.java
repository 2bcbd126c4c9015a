package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.presence.PresenceRegistry;
import io.switchboard.protocol.CloseCode;
import io.switchboard.routing.ControlEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.regex.Pattern;

/** A user's presence, and disconnecting all of a user's sessions or one of them. */
final class UsersApi {

  static final String DEFAULT_REASON = "disconnected by the service";
  /** Session ids are the node's name, its event loop and a counter: node-1.0.1a. */
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

  private final Services services;

  UsersApi(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.get("/users/:user/presence").handler(this::presence);
    api.post("/users/:user/disconnect").handler(this::disconnect);
    api.post("/users/:user/sessions/:session/disconnect").handler(this::disconnectSession);
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
   * reconnect) or, when asked, 1012 (they reconnect). Answered once the kick is in the control log:
   * from then on it takes effect within the repair bound even if its event-bus message is lost.
   */
  private void disconnect(RoutingContext ctx) {
    kick(ctx, null);
  }

  /** One session of the user, with the same guarantees as {@link #disconnect}. */
  private void disconnectSession(RoutingContext ctx) {
    String session = ctx.pathParam("session");
    if (!SESSION_ID.matcher(session).matches()) {
      ApiResponses.fail(ctx, ApiException.badRequest("\"session\" must be a session id as GET /users/{user} lists it"));
      return;
    }
    kick(ctx, session);
  }

  private void kick(RoutingContext ctx, String session) {
    try {
      String user = Params.id(ctx, "user");
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      Object reason = body == null ? null : body.getValue("reason");
      if (reason != null && (!(reason instanceof String) || ((String) reason).length() > 100)) {
        throw ApiException.badRequest("\"reason\" must be a string of at most 100 characters");
      }
      CloseCode code = code(body == null ? null : body.getValue("code"));
      JsonObject answer = new JsonObject().put("user", user);
      if (session != null) {
        answer.put("session", session);
      }
      ApiResponses.reply(ctx, 202, services.controlLog()
          .publish(ControlEvent.kick(user, session, code, reason == null ? DEFAULT_REASON : (String) reason))
          .map(v -> answer.put("code", code.code())));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    } catch (RuntimeException e) {
      ApiResponses.fail(ctx, ApiException.badRequest("the request body is not a JSON object"));
    }
  }

  private static CloseCode code(Object code) {
    if (code == null || Integer.valueOf(CloseCode.FORBIDDEN.code()).equals(code)) {
      return CloseCode.FORBIDDEN;
    }
    if (Integer.valueOf(CloseCode.SERVICE_RESTART.code()).equals(code)) {
      return CloseCode.SERVICE_RESTART;
    }
    throw ApiException.badRequest("\"code\" must be 4403 (the client stays disconnected) or 1012 (it reconnects)");
  }
}
