package io.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;

/** Blocking HTTP GETs against a test node. */
public final class Http {

  private final Vertx vertx;
  private final int port;

  Http(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  public record Response(int status, String body) {
  }

  public Response get(String path) {
    HttpClient client = vertx.createHttpClient();
    try {
      return client.request(HttpMethod.GET, port, "127.0.0.1", path)
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(body -> new Response(resp.statusCode(), body.toString())))
          .await();
    } finally {
      client.close();
    }
  }
}
