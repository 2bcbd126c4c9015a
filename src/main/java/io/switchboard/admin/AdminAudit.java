package io.switchboard.admin;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.ext.web.RoutingContext;

/**
 * One log line for every API call made with an admin key that may change something (any method but
 * GET and HEAD), once answered: who (the key's identity, never the key), what (method and path:
 * every action of the API names what it acts on in its path) and the status.
 */
public final class AdminAudit implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(AdminAudit.class);

  @Override
  public void handle(RoutingContext ctx) {
    String who = AdminKeys.of(ctx);
    HttpMethod method = ctx.request().method();
    if (who != null && method != HttpMethod.GET && method != HttpMethod.HEAD) {
      String path = ctx.request().path();
      ctx.addEndHandler(v -> LOG.info("admin " + who + ": " + method + " " + path + " -> " + ctx.response().getStatusCode()));
    }
    ctx.next();
  }
}
