package io.switchboard.admin;

import io.switchboard.api.PageHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The admin console's page at /admin/: static files from the jar (no CDN: it works offline), served
 * only when admin keys are configured; without them /admin and everything under it is 404. The page
 * holds no data: everything it shows comes from /api/v1 with the key the operator types in.
 */
public final class AdminConsole {

  public static final String PATH = "/admin";
  private AdminConsole() {
  }

  public static void mount(Router router, AdminKeys keys) {
    if (!keys.enabled()) {
      router.route(PATH + "/*").handler(ctx -> ctx.response().setStatusCode(404).end());
      return;
    }
    router.route(PATH + "/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      if (ctx.request().path().equals(PATH)) {
        // relative URLs of the page resolve under /admin/ only
        ctx.redirect(PATH + "/");
        return;
      }
      ctx.next();
    }).handler(PageHeaders.with(PageHeaders.SAME_ORIGIN)).handler(StaticHandler.create("admin-console").setCachingEnabled(false));
  }
}
