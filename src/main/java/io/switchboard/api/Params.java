package io.switchboard.api;

import io.switchboard.protocol.StreamName;
import io.vertx.ext.web.RoutingContext;

/** Query and path parameters, checked, with errors that name them. */
final class Params {

  private Params() {
  }

  static long longParam(RoutingContext ctx, String name, long def, long min, long max) {
    String v = ctx.request().getParam(name);
    if (v == null) {
      return def;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // same answer as out of range
    }
    throw ApiException.badRequest("\"" + name + "\" must be a whole number from " + min + " to " + max);
  }

  /** A user or room id from the path. */
  static String id(RoutingContext ctx, String name) {
    String v = ctx.pathParam(name);
    if (!StreamName.isValidId(v)) {
      throw ApiException.badRequest("\"" + name + "\" must be 1-128 characters of letters, digits and _.:@|+=-");
    }
    return v;
  }

  /** A room id from the path: an id that is not a stream name. */
  static String room(RoutingContext ctx, String name) {
    String v = id(ctx, name);
    String problem = StreamName.roomIdProblem(name, v);
    if (problem != null) {
      throw ApiException.badRequest(problem);
    }
    return v;
  }
}
