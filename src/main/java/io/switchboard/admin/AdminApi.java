package io.switchboard.admin;

import io.switchboard.api.ApiResponses;
import io.switchboard.gateway.Services;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * /api/v1/admin/...: what only the admin console needs (the live view). Behind the API's key check
 * like every /api/v1 route, and then only for admin keys: an API key gets 403.
 */
public final class AdminApi {

  /** The live feed, under /api/v1. */
  public static final String STREAM = "/admin/stream";

  private AdminApi() {
  }

  public static void mount(Vertx vertx, Router api, Services services) {
    // a pattern, not a path: the API's latency labels take only the routes with a method and a path
    api.routeWithRegex("/admin/.*").handler(ctx -> {
      if (AdminKeys.of(ctx) == null) {
        ApiResponses.error(ctx, 403, "forbidden", "an admin key (admin.keys) is needed here: an API key does not open the admin console");
      } else {
        ctx.next();
      }
    });
    api.get(STREAM).handler(new AdminStream(vertx, services.directory()));
  }
}
