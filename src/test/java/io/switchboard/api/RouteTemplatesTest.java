package io.switchboard.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The route label of a request is the template of the route it addresses, from the router's own routes. */
class RouteTemplatesTest {

  static Vertx vertx;
  static RouteTemplates templates;

  @BeforeAll
  static void router() {
    vertx = Vertx.vertx();
    Router api = Router.router(vertx);
    api.route().handler(ctx -> ctx.next());
    api.post("/streams/:stream/messages").handler(ctx -> ctx.end());
    api.get("/streams/:stream/messages").handler(ctx -> ctx.end());
    api.put("/rooms/:room/members/:user").handler(ctx -> ctx.end());
    api.get("/nodes").handler(ctx -> ctx.end());
    api.route().handler(ctx -> ctx.end());
    templates = new RouteTemplates("/api/v1", api.getRoutes());
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void aRequestIsLabelledWithTheTemplateOfItsRouteNeverItsPath() {
    assertEquals("/api/v1/streams/{stream}/messages", templates.of(HttpMethod.POST, "/api/v1/streams/user:bob/messages"));
    assertEquals("/api/v1/streams/{stream}/messages", templates.of(HttpMethod.GET, "/api/v1/streams/room:x/messages/"));
    assertEquals("/api/v1/rooms/{room}/members/{user}", templates.of(HttpMethod.PUT, "/api/v1/rooms/lobby/members/bob"));
    assertEquals("/api/v1/nodes", templates.of(HttpMethod.GET, "/api/v1/nodes"));
  }

  @Test
  void whatAddressesNoRouteIsOneLabel() {
    assertEquals(RouteTemplates.UNMATCHED, templates.of(HttpMethod.DELETE, "/api/v1/streams/user:bob/messages"));
    assertEquals(RouteTemplates.UNMATCHED, templates.of(HttpMethod.GET, "/api/v1/streams//messages"));
    assertEquals(RouteTemplates.UNMATCHED, templates.of(HttpMethod.GET, "/api/v1/streams/a/b/messages"));
    assertEquals(RouteTemplates.UNMATCHED, templates.of(HttpMethod.GET, "/api/v1/nodes/x"));
    assertEquals(RouteTemplates.UNMATCHED, templates.of(HttpMethod.GET, "/api/v1/" + "x".repeat(5000)));
  }
}
