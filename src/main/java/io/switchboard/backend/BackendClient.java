package io.switchboard.backend;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Clock;
import java.util.List;

/**
 * Signed JSON POSTs to the application's backend, over kept-alive connections shared by the node's
 * event loops. Any HTTP status answers the future: what a status means is the caller's to say (a
 * proxy refusal, a webhook to retry); only a request that got no answer in time fails it.
 */
public final class BackendClient {

  public static final String USER_AGENT = "Switchboard";
  /** Open connections per backend host; a backend slower than this queues requests. */
  static final int POOL_SIZE = 32;

  private final WebClient client;
  private final List<String> secrets;
  private final Clock clock;

  public BackendClient(Vertx vertx, List<String> secrets, Clock clock) {
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setUserAgent(USER_AGENT),
        new PoolOptions().setHttp1MaxSize(POOL_SIZE));
    this.secrets = List.copyOf(secrets);
    this.clock = clock;
  }

  /**
   * @param timeoutMs bounds the connect and the wait for the answer; the request is then aborted and
   *                  the future fails with a timeout
   */
  public Future<HttpResponse<Buffer>> post(String url, Buffer json, long timeoutMs) {
    String signature = Signature.header(clock.millis() / 1000, json.getBytes(), secrets);
    return client.postAbs(url)
        .putHeader("Content-Type", "application/json")
        .putHeader(Signature.HEADER, signature)
        .connectTimeout(timeoutMs)
        .timeout(timeoutMs)
        .sendBuffer(json);
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }
}
