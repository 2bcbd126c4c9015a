package io.switchboard.api;

import io.switchboard.auth.DevTokens;
import io.switchboard.protocol.StreamName;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** GET /dev/token?user=alice: a token for anyone, in dev mode only (never mounted otherwise). */
final class DevTokenHandler implements Handler<RoutingContext> {

  private final DevTokens tokens;

  DevTokenHandler(DevTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    if (!StreamName.isValidId(user)) {
      ApiResponses.error(ctx, 400, "bad_request", "user must be 1-128 characters of letters, digits and _.:@|+=-");
      return;
    }
    ctx.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
        .end(new JsonObject()
            .put("user", user)
            .put("token", tokens.issue(user))
            .put("expiresIn", tokens.ttlSeconds())
            .encode());
  }
}
