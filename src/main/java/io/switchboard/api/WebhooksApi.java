package io.switchboard.api;

import io.switchboard.gateway.Services;
import io.switchboard.webhooks.EventQueue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The webhook dead letters: read them page by page, and put them back in the queue. See docs/webhooks.md. */
final class WebhooksApi {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

  private final Services services;

  WebhooksApi(Services services) {
    this.services = services;
  }

  void mount(Router api) {
    api.get("/webhooks/dead-letters").handler(this::list);
    api.post("/webhooks/dead-letters/replay").handler(this::replay);
  }

  private EventQueue queue() {
    EventQueue queue = services.webhooks().queue();
    if (queue == null) {
      throw ApiException.notFound("webhooks are not configured on this node (webhooks.url, see docs/webhooks.md)");
    }
    return queue;
  }

  private void list(RoutingContext ctx) {
    try {
      EventQueue queue = queue();
      String after = ctx.request().getParam("after");
      if (after != null && !ENTRY_ID.matcher(after).matches()) {
        throw ApiException.badRequest("\"after\" must be a dead letter's id (<ms>-<n>), as \"next\" gives it");
      }
      int limit = (int) Params.longParam(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
      ApiResponses.reply(ctx, queue.deadLetters(after, limit).map(page -> {
        JsonArray out = new JsonArray();
        page.entries().forEach(d -> out.add(new JsonObject().put("id", d.id()).put("reason", d.reason()).put("at", d.at())
            .put("event", new JsonObject(d.event()))));
        return new JsonObject().put("deadLetters", out).put("next", page.next());
      }));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  /** {"ids": [...]} replays those; {"all": true} the oldest {@link #MAX_PAGE} (call again while "remaining" is not 0). */
  private void replay(RoutingContext ctx) {
    try {
      EventQueue queue = queue();
      JsonObject body = body(ctx);
      Future<List<String>> ids;
      if (Boolean.TRUE.equals(body.getValue("all"))) {
        ids = queue.deadLetters(null, MAX_PAGE).map(page -> page.entries().stream().map(EventQueue.DeadLetter::id).toList());
      } else {
        ids = Future.succeededFuture(ids(body));
      }
      ApiResponses.reply(ctx, ids.compose(list -> queue.replay(list)
          .compose(n -> queue.sizes().map(sizes -> new JsonObject().put("replayed", n).put("remaining", sizes.deadLetters())))));
    } catch (ApiException e) {
      ApiResponses.fail(ctx, e);
    }
  }

  private static List<String> ids(JsonObject body) {
    Object raw = body.getValue("ids");
    if (!(raw instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_PAGE) {
      throw ApiException.badRequest("give \"ids\": 1 to " + MAX_PAGE + " dead letter ids, or \"all\": true");
    }
    List<String> ids = new ArrayList<>();
    for (Object id : array) {
      if (!(id instanceof String s) || !ENTRY_ID.matcher(s).matches()) {
        throw ApiException.badRequest("\"ids\" must hold dead letter ids (<ms>-<n>), as the list gives them");
      }
      ids.add(s);
    }
    return ids;
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw ApiException.badRequest("the request body is not a JSON object");
      }
      return body;
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ApiException.badRequest("the request body is not a JSON object");
    }
  }
}
