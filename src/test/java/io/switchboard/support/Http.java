package io.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** Blocking HTTP calls against a test node. */
public final class Http {

  private final Vertx vertx;
  private final int port;

  Http(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public Response get(String path) {
    return call(HttpMethod.GET, path, Map.of(), null);
  }

  public Response call(HttpMethod method, String path, Map<String, String> headers, String body) {
    // a lost answer fails the test in WAIT with a clear message instead of hanging until JUnit's timeout
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) WsClient.WAIT.toMillis()).setIdleTimeout((int) WsClient.WAIT.toSeconds()));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setHost("127.0.0.1").setURI(path);
      headers.forEach(options::addHeader);
      return client.request(options)
          .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString())))
          .await();
    } finally {
      client.close();
    }
  }
}
