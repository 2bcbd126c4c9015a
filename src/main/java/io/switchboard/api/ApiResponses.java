package io.switchboard.api;

import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the HTTP API: {"error": code, "message": ...} on failure. */
public final class ApiResponses {

  private static final Logger LOG = LoggerFactory.getLogger(ApiResponses.class);

  private ApiResponses() {
  }

  public static void reply(RoutingContext ctx, Future<JsonObject> result) {
    reply(ctx, 200, result);
  }

  public static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
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

  private static final String TAKES_JSON = "; the API takes JSON bodies (Content-Type: application/json), see docs/api.md";

  /**
   * The failure handler of the API router: what a handler or vertx-web's body parser failed with
   * (a body over the limit, a form field too long, a body that is not what it claims), as the API's
   * JSON error. What a client sent is never logged with a stack trace; a failure of the node itself
   * is logged in one line.
   */
  static void failed(RoutingContext ctx, int bodyLimit) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    if (failure instanceof ApiException a) {
      error(ctx, a.status, a.code, a.getMessage());
    } else if (status == 413) {
      error(ctx, 413, "too_large", "request body larger than " + bodyLimit + " bytes (limits.maxMessageBytes plus the JSON around it)");
    } else if (status >= 400 && status < 500) {
      error(ctx, status, status == 401 ? "unauthorized" : status == 404 ? "not_found" : "bad_request",
          "request refused: " + reason(failure, status) + TAKES_JSON);
    } else if (failure != null && isClientInput(failure)) {
      error(ctx, 400, "bad_request", "request body not readable: " + reason(failure, 400) + TAKES_JSON);
    } else {
      LOG.warn("API " + ctx.request().method() + " " + ctx.request().path() + " failed: " + reason(failure, status));
      error(ctx, 500, "internal", "the node failed to answer this request; see its log");
    }
  }

  /** Decoding what the client sent failed (netty's form and multipart decoders, JSON parsing). */
  private static boolean isClientInput(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String name = c.getClass().getName();
      if (name.startsWith("io.netty.handler.codec.") || c instanceof io.vertx.core.json.DecodeException) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable failure, int status) {
    if (failure == null) {
      return "HTTP " + status;
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  public static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }
  }
}
