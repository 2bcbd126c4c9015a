package io.switchboard.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.admin.AdminConsole;
import io.switchboard.admin.AdminKeys;
import io.switchboard.gateway.GatewayVerticle;
import io.switchboard.gateway.Services;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Every plain HTTP route of a node; WebSocket upgrades on /ws never reach this router. */
public final class HttpRoutes {

  private HttpRoutes() {
  }

  public static Router router(Vertx vertx, Services services) {
    Router router = Router.router(vertx);
    HealthRoutes.mount(vertx, router, services);
    AdminKeys admin = new AdminKeys(services.options().getAdminKeys());
    ApiRoutes.mount(vertx, router, services, admin);
    AdminConsole.mount(router, admin);
    if (services.options().isMetricsEnabled() && services.metrics().registry() instanceof PrometheusMeterRegistry) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) services.metrics().registry()));
    }
    if (services.devTokens() != null) {
      router.get("/dev/token").handler(new DevTokenHandler(services.devTokens()));
    }
    router.route(GatewayVerticle.WS_PATH).handler(ctx -> ctx.response().setStatusCode(426).putHeader("upgrade", "websocket")
        .end("WebSocket endpoint: connect with a WebSocket client (protocol v1, see docs/protocol.md)\n"));
    // revalidate on every load (a 304 when unchanged): after an upgrade the page and the SDK must not
    // be an old copy that the static handler's default (public, immutable, a day) would keep
    Handler<RoutingContext> revalidate = ctx -> {
      ctx.response().putHeader("cache-control", "no-cache");
      ctx.next();
    };
    // the SDK, for the pages of the applications that use this node (a prefix route: the static
    // handler looks for what follows /sdk/); the demo page only when enabled
    // the client as an npm package, /sdk/switchboard-client[-<version>].tgz (built from clients/js by
    // Maven), typed as what it is rather than the static handler's application/octet-stream
    // (HEAD too: `curl -I` on the package's URL, and caches that ask before they fetch)
    router.routeWithRegex("/sdk/[^/]+\\.tgz").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader("content-type", "application/gzip");
      ctx.next();
    });
    router.route("/sdk/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(revalidate)
        .handler(StaticHandler.create("webroot/sdk"));
    if (services.options().getHttp().isDemoPage()) {
      router.get("/*").handler(PageHeaders.with(PageHeaders.SAME_ORIGIN)).handler(StaticHandler.create("webroot"));
    }
    return router;
  }
}
