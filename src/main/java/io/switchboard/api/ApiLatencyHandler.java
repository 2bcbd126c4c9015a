package io.switchboard.api;

import io.switchboard.metrics.ApiMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Times every request of the router it is first on, from its arrival until its answer is written
 * (or the connection closed first: status {@code closed}), by route template, method and status.
 */
final class ApiLatencyHandler implements Handler<RoutingContext> {

  static final String CLOSED = "closed";
  static final String OTHER_METHOD = "other";

  private final Router router;
  private final String prefix;
  private final ApiMetrics metrics;
  /** Read from the router once it is complete, at the first request. */
  private volatile RouteTemplates templates;

  ApiLatencyHandler(Router router, String prefix, ApiMetrics metrics) {
    this.router = router;
    this.prefix = prefix;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ar -> {
      HttpMethod method = ctx.request().method();
      metrics.request(templates().of(method, ctx.normalizedPath()),
          HttpMethod.values().contains(method) ? method.name() : OTHER_METHOD,
          ar.succeeded() ? String.valueOf(ctx.response().getStatusCode()) : CLOSED,
          System.nanoTime() - start);
    });
    ctx.next();
  }

  private RouteTemplates templates() {
    RouteTemplates t = templates;
    if (t == null) {
      t = new RouteTemplates(prefix, router.getRoutes());
      templates = t;
    }
    return t;
  }
}
