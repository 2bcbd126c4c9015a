package io.switchboard.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers of the pages a node serves (the demo page, the admin console): a Content-Security-Policy
 * that allows scripts, styles and connections from the node only and no framing, no MIME sniffing,
 * no referrer, and revalidation on every load (after an upgrade a page must not be an old copy; a 304
 * when unchanged, where the static handler's default would keep it a day).
 */
public final class PageHeaders {

  /** Same-origin scripts, styles, images (and inline data: icons) and connections; nothing inline runs. */
  public static final String SAME_ORIGIN = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private PageHeaders() {
  }

  /** Puts the headers on the response with this policy, then passes the request on. */
  public static Handler<RoutingContext> with(String csp) {
    return ctx -> {
      ctx.response()
          .putHeader("content-security-policy", csp)
          .putHeader("x-content-type-options", "nosniff")
          .putHeader("x-frame-options", "DENY")
          .putHeader("referrer-policy", "no-referrer")
          .putHeader("cache-control", "no-cache");
      ctx.next();
    };
  }
}
