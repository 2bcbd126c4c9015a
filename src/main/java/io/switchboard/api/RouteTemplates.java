package io.switchboard.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which route template of a router a request addresses, as a metric label: {@code
 * /api/v1/streams/{stream}/messages}, never the path a client sent, so the labels are as many as the
 * routes. Decided from the method and path alone, so that a request refused before it reached its
 * route (no API key, a body over the limit) is counted under the route it asked for.
 */
final class RouteTemplates {

  /** The label of a request that addresses no route (answered 404). */
  static final String UNMATCHED = "unmatched";

  private record Template(String label, Set<HttpMethod> methods, String[] segments) {
    boolean matches(HttpMethod method, String[] path) {
      if ((!methods.isEmpty() && !methods.contains(method)) || path.length != segments.length) {
        return false;
      }
      for (int i = 0; i < segments.length; i++) {
        boolean parameter = segments[i].startsWith(":");
        if (parameter ? path[i].isEmpty() : !segments[i].equals(path[i])) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Template> templates = new ArrayList<>();

  /**
   * The routes of a router mounted at {@code prefix} that have a path (not the ones for every
   * request): exact paths with {@code :parameters}, which is what the API's routes are.
   */
  RouteTemplates(String prefix, List<Route> routes) {
    for (Route route : routes) {
      if (route.getPath() != null) {
        String path = prefix + route.getPath();
        templates.add(new Template(path.replaceAll(":(\\w+)", "{$1}"), Set.copyOf(route.methods()), split(path)));
      }
    }
  }

  String of(HttpMethod method, String path) {
    String[] segments = split(path);
    for (Template t : templates) {
      if (t.matches(method, segments)) {
        return t.label();
      }
    }
    return UNMATCHED;
  }

  /** A trailing slash is ignored, as the router does. */
  private static String[] split(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.split("/", -1);
  }
}
