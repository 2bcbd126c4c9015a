package io.switchboard.admin;

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
  /** Scripts, styles and connections from this origin only; no inline script, no framing. */
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
      ctx.response()
          .putHeader("content-security-policy", CSP)
          .putHeader("x-content-type-options", "nosniff")
          .putHeader("x-frame-options", "DENY")
          .putHeader("referrer-policy", "no-referrer")
          // after an upgrade the page must not be an old copy (a 304 when unchanged)
          .putHeader("cache-control", "no-cache");
      ctx.next();
    }).handler(StaticHandler.create("admin-console").setCachingEnabled(false));
  }
}
