package io.switchboard.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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

  /** A call of /api/v1 + {@code path} with {@code key} and a JSON body (or none). */
  public Response api(String key, HttpMethod method, String path, JsonObject body) {
    return call(method, "/api/v1" + path, Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json"),
        body == null ? null : body.encode());
  }

  public Response call(HttpMethod method, String path, Map<String, String> headers, String body) {
    // a lost answer fails in WAIT with a clear message instead of hanging until JUnit's timeout
    HttpClient client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) WsClient.WAIT.toMillis()).setIdleTimeout((int) WsClient.WAIT.toSeconds()));
    try {
      RequestOptions options = new RequestOptions().setMethod(method).setPort(port).setHost("127.0.0.1").setURI(path);
      headers.forEach(options::addHeader);
      return exchange(vertx, client, options, body == null ? null : Buffer.buffer(body))
          .toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(method + " " + path + " got no answer within " + WsClient.WAIT + "; threads dumped to "
          + ThreadDump.write("http-no-answer"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause());
    } finally {
      client.close();
    }
  }

  /**
   * One request, sent and read from a Vert.x context, so that the body is asked for in the very task
   * that delivers the response head. Chained from a test thread instead, the chain races the event
   * loop: when the whole response arrives before the test thread attaches {@code body()} (it was
   * preempted for a millisecond), the body's future never completes (vert.x issue 6038). That was
   * the "no answer" these tests saw now and then in full runs.
   */
  public static Future<Response> exchange(Vertx vertx, HttpClient client, RequestOptions options, Buffer body) {
    Promise<Response> answer = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> client.request(options)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString())))
        .onComplete(answer));
    return answer.future();
  }
}
