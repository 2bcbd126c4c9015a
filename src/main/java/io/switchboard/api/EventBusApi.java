package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.routing.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The API on the event bus, for verticles deployed into the cluster: {@link Addresses#API_SEND}
 * takes {"to", "body", "from"?, "id"?, "transient"?} and replies like POST .../messages (failures
 * carry the HTTP status as code). Each node also answers drain requests addressed to it, and which
 * sessions of a user it holds.
 */
public final class EventBusApi {

  private EventBusApi() {
  }

  public static Future<List<MessageConsumer<JsonObject>>> register(Vertx vertx, Services services) {
    MessageConsumer<JsonObject> send = vertx.eventBus().consumer(Addresses.API_SEND, m -> send(services, m));
    MessageConsumer<JsonObject> drain = vertx.eventBus().consumer(Addresses.drain(services.control().nodeId()),
        m -> services.control().drainAndStop().onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(new JsonObject().put("node", services.control().nodeId()).put("drainMs", ar.result()));
          } else {
            m.fail(500, ar.cause().getMessage());
          }
        }));
    MessageConsumer<JsonObject> sessions = vertx.eventBus().consumer(Addresses.sessions(services.control().nodeId()),
        m -> services.control().sessionsOf(m.body().getString("user")).onComplete(ar -> {
          if (ar.succeeded()) {
            m.reply(new JsonObject().put("sessions", new JsonArray(ar.result())));
          } else {
            m.fail(500, ar.cause().getMessage());
          }
        }));
    return Future.all(send.completion(), drain.completion(), sessions.completion()).map(v -> List.of(send, drain, sessions));
  }

  private static void send(Services services, Message<JsonObject> m) {
    try {
      JsonObject body = m.body();
      Object to = body == null ? null : body.getValue("to");
      SendRequest r = SendRequest.parse(to instanceof String ? (String) to : null, body,
          services.options().getLimits().getMaxMessageBytes());
      MessagesApi.send(services, r).onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(ar.result());
        } else {
          m.fail(503, "unavailable: message not stored");
        }
      });
    } catch (ApiException e) {
      m.fail(e.status, e.code + ": " + e.getMessage());
    }
  }
}
