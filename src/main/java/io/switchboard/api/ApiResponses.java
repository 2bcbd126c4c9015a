package io.switchboard.api;

import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the HTTP API: {"error": code, "message": ...} on failure. */
final class ApiResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

  private ApiResponses() {
  }

  static void reply(RoutingContext ctx, Future<JsonObject> result) {
    reply(ctx, 200, result);
  }

  static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        fail(ctx, ar.cause());
      }
    });
  }

  /**
   * A presence read of {@code key}, refused as unknown when this node cannot see the part of
   * presence the key is in. Asked after the read: a loss noticed while it ran makes it unreliable too.
   */
  static <T> Future<T> ifKnown(PresenceRegistry registry, String key, Future<T> read) {
    return read.compose(v -> registry.known(key)
        ? Future.succeededFuture(v)
        : Future.failedFuture(ApiException.presenceUnknown()));
  }

  static void fail(RoutingContext ctx, Throwable e) {
    if (e instanceof ApiException) {
      ApiException a = (ApiException) e;
      error(ctx, a.status, a.code, a.getMessage());
    } else {
      // the store (or the cluster) did not confirm: the change may or may not have happened
      LOG.warn("API " + ctx.request().method() + " " + ctx.request().path() + " failed: " + e.getMessage());
      error(ctx, 503, "unavailable", "service unavailable: the change may not have been made; retry (sends with the same id)");
    }
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
  }
}
