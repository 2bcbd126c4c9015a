package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** POST and GET /api/v1/streams/{stream}/messages: send to any stream, read a page of its log. */
final class MessagesApi {

  static final int DEFAULT_PAGE = 100;

  private final Services services;

  MessagesApi(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.post("/streams/:stream/messages").handler(this::send);
    api.get("/streams/:stream/messages").handler(this::history);
  }

  /** The send operation of the API, for HTTP and event-bus callers alike. */
  static Future<JsonObject> send(Services services, SendRequest r) {
    return services.publisher().send(r.from(), r.to(), r.body(), r.id(), r.transientOnly(), null)
        .map(sent -> {
          JsonObject out = new JsonObject().put("stream", sent.stream());
          if (sent.seq() > 0) {
            out.put("seq", sent.seq()).put("epoch", Position.wireEpoch(sent.epoch()));
          }
          return out.put("id", sent.id()).put("duplicate", sent.duplicate());
        });
  }

  private void send(RoutingContext ctx) {
    try {
      SendRequest r = SendRequest.parse(ctx.pathParam("stream"), body(ctx),
          services.options().getLimits().getMaxMessageBytes());
      ApiResponses.reply(ctx, send(services, r));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  private void history(RoutingContext ctx) {
    try {
      String stream = ctx.pathParam("stream");
      if (StreamName.kindOf(stream) == null) {
        throw ApiException.badRequest("not a stream: use user:<id>, room:<id> or all");
      }
      long from = Params.longParam(ctx, "from", 1, 1, Long.MAX_VALUE);
      int limit = (int) Params.longParam(ctx, "limit", DEFAULT_PAGE, 1, MessageLog.MAX_PAGE);
      ApiResponses.reply(ctx, services.store().read(stream, from, limit).map(page -> page(stream, page)));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  /** A page of a stream's log as the API shows it. */
  static JsonObject page(String stream, ReadResult page) {
    JsonArray messages = new JsonArray();
    for (StoredMessage m : page.messages()) {
      messages.add(new JsonObject().put("seq", m.seq()).put("id", m.id()).put("from", m.from())
          .put("body", Json.decodeValue(m.body())).put("ts", m.ts()));
    }
    long last = page.messages().isEmpty() ? -1 : page.messages().get(page.messages().size() - 1).seq();
    return new JsonObject().put("stream", stream).put("epoch", Position.wireEpoch(page.epoch())).put("messages", messages)
        .put("firstAvailable", page.firstAvailable()).put("head", page.head())
        .put("next", last >= 0 && last < page.head() ? last + 1 : null);
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw ApiException.badRequest("the request body is not a JSON object");
    }
  }
}
