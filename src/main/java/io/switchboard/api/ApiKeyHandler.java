package io.switchboard.api;

import io.switchboard.admin.AdminKeys;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Backends authenticate with {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}.
 * Keys are compared in constant time, so response timing says nothing about how much of a guess was
 * right. With no key configured the API is closed. Admin keys are accepted too: the request then
 * carries the key's identity ({@link AdminKeys#IDENTITY}).
 */
final class ApiKeyHandler implements Handler<RoutingContext> {

  private final List<byte[]> keys;
  private final AdminKeys admin;

  ApiKeyHandler(List<String> keys, AdminKeys admin) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    this.admin = admin;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (keys.isEmpty() && !admin.enabled()) {
      unauthorized(ctx, "the HTTP API is disabled: no api.keys configured");
      return;
    }
    String presented = presented(ctx);
    if (presented == null) {
      unauthorized(ctx, "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>");
      return;
    }
    String adminIdentity = admin.identify(presented);
    if (adminIdentity != null) {
      ctx.put(AdminKeys.IDENTITY, adminIdentity);
      ctx.next();
      return;
    }
    byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] key : keys) {
      match |= MessageDigest.isEqual(key, candidate);
    }
    if (match) {
      ctx.next();
    } else {
      unauthorized(ctx, "wrong API key");
    }
  }

  private static String presented(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return ctx.request().getHeader("X-API-Key");
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
    ApiResponses.error(ctx, 401, "unauthorized", message);
  }
}
