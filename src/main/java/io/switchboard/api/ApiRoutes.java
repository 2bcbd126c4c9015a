package io.switchboard.api;

import io.switchboard.admin.AdminApi;
import io.switchboard.admin.AdminAudit;
import io.switchboard.admin.AdminKeys;
import io.switchboard.gateway.Services;
import io.switchboard.metrics.ApiMetrics;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** /api/v1 for backends and operators: every route behind an API key or an admin key. See docs/api.md. */
final class ApiRoutes {

  static final String PREFIX = "/api/v1";
  /** Room for the JSON around a body of limits.maxMessageBytes. */
  static final int ENVELOPE_BYTES = 4096;

  private ApiRoutes() {
  }

  static void mount(Vertx vertx, Router router, Services services, AdminKeys admin) {
    Router api = Router.router(vertx);
    int bodyLimit = services.options().getLimits().getMaxMessageBytes() + ENVELOPE_BYTES;
    if (services.options().isMetricsEnabled()) {
      ApiLatencyHandler latency = new ApiLatencyHandler(api, PREFIX, new ApiMetrics(services.metrics().registry()));
      // a feed open for an hour is not an answer that took an hour: it would own the latency percentiles
      api.route().handler(ctx -> {
        if (ctx.normalizedPath().equals(PREFIX + AdminApi.STREAM)) {
          ctx.next();
        } else {
          latency.handle(ctx);
        }
      });
    }
    // whatever fails, a handler or the body parser on what a client sent, answers the API's JSON
    api.route().failureHandler(ctx -> ApiResponses.failed(ctx, bodyLimit));
    api.route().handler(new ApiKeyHandler(services.options().getApiKeys(), admin));
    api.route().handler(new AdminAudit());
    api.route().handler(BodyHandler.create(false).setBodyLimit(bodyLimit));
    new MessagesApi(services).mount(api);
    new UsersApi(services).mount(api);
    new UserLookup(vertx, services).mount(api);
    new RoomsApi(services).mount(api);
    new RoomLookup(services).mount(api);
    new NodesApi(vertx, services).mount(api);
    new WebhooksApi(services).mount(api);
    AdminApi.mount(vertx, api, services);
    api.route().handler(ctx -> ApiResponses.error(ctx, 404, "not_found", "no such API route: see docs/api.md"));
    router.route(PREFIX + "/*").subRouter(api);
  }
}
