package io.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    try {
      return once(method, path, headers, body);
    } catch (TimeoutException lost) {
      // KNOWN DEFECT (see the closing note of 2026-12-01): now and then the first request to a node
      // gets no answer and its client's own timeouts never fire. Said loudly, retried once, so that
      // the tests keep testing what they are about while it is being found.
      System.err.println("WARNING: " + method + " " + path + " to port " + port + " got no answer within " + WsClient.WAIT
          + "; threads dumped to " + ThreadDump.write("http-no-answer") + "; retrying once");
      try {
        return once(method, path, headers, body);
      } catch (TimeoutException again) {
        throw new AssertionError(method + " " + path + " got no answer twice", again);
      }
    }
  }

  private Response once(HttpMethod method, String path, Map<String, String> headers, String body) throws TimeoutException {
    // a lost answer fails in WAIT with a clear message instead of hanging until JUnit's timeout
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) WsClient.WAIT.toMillis()).setIdleTimeout((int) WsClient.WAIT.toSeconds()));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setHost("127.0.0.1").setURI(path);
      headers.forEach(options::addHeader);
      return client.request(options)
          .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString())))
          .toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } finally {
      client.close();
    }
  }
}
