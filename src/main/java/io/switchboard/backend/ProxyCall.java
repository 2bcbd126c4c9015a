package io.switchboard.backend;

import io.switchboard.auth.AuthException;
import io.switchboard.metrics.ProxyMetrics;
import io.switchboard.util.LogEvery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One proxy's calls: a signed POST of a JSON object, and the answer turned into a decision by the
 * proxy's own reading of it. 2xx allows; a status in {@code refusals} refuses; anything else, or no
 * answer within the timeout, is {@link BackendUnavailableException} (logged: the backend or its URL
 * is broken, the client only learns to retry).
 */
final class ProxyCall {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyCall.class);

  /**
   * The decisions a backend's answer can carry, read from its JSON body (empty object when none);
   * {@code allowed}: a 2xx status, else a status in the proxy's refusals.
   */
  record Answer(int status, boolean allowed, JsonObject body) {

    /** The backend's {@code reason}, or what the status says. */
    String reason(String otherwise) {
      Object r = body.getValue("reason");
      return r instanceof String && !((String) r).isBlank() ? (String) r : otherwise;
    }
  }

  private final BackendClient client;
  private final String url;
  private final long timeoutMs;
  private final ProxyMetrics metrics;
  private final Set<Integer> refusals;
  private final String name;
  /** A backend that is down fails every call: one line per 10 s says so, with the count. */
  private final LogEvery failures = new LogEvery(10, TimeUnit.SECONDS);

  ProxyCall(BackendClient client, String url, long timeoutMs, ProxyMetrics metrics, Set<Integer> refusals, String name) {
    this.client = client;
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
    this.refusals = refusals;
    this.name = name;
  }

  /**
   * @param decide turns an allowing or refusing answer into the caller's result; throws the refusal
   *               ({@link ProxyRefusal}, {@link AuthException}) the caller reports, or
   *               {@link BackendUnavailableException} for an answer it cannot use
   */
  <T> Future<T> call(JsonObject request, Function<Answer, T> decide) {
    long start = System.nanoTime();
    return client.post(url, request.toBuffer(), timeoutMs).transform(ar -> {
      long took = System.nanoTime() - start;
      if (ar.failed()) {
        return fail(took, "no answer within " + timeoutMs + " ms (" + ar.cause() + ")");
      }
      int status = ar.result().statusCode();
      boolean allowed = status >= 200 && status < 300;
      if (!allowed && !refusals.contains(status)) {
        return fail(took, "answered " + status);
      }
      Answer answer;
      try {
        answer = new Answer(status, allowed, body(ar.result().body()));
      } catch (DecodeException | ClassCastException e) {
        return fail(took, "answered " + status + " with a body that is not a JSON object");
      }
      try {
        T result = decide.apply(answer);
        metrics.record(answer.allowed() ? ProxyMetrics.Result.ALLOWED : ProxyMetrics.Result.REFUSED, took);
        return Future.succeededFuture(result);
      } catch (BackendUnavailableException e) {
        return fail(took, e.getMessage());
      } catch (ProxyRefusal | AuthException refusal) {
        metrics.record(ProxyMetrics.Result.REFUSED, took);
        return Future.failedFuture(refusal);
      } catch (RuntimeException e) {
        return fail(took, "answered " + status + " with a body that could not be read: " + e);
      }
    });
  }

  private <T> Future<T> fail(long took, String what) {
    metrics.record(ProxyMetrics.Result.FAILED, took);
    failures.record(1, n -> LOG.warn("The " + name + " proxy " + url + " " + what + ": the client was told to retry"
        + (n > 1 ? " (" + (n - 1) + " more failures since the last line)" : "")));
    return Future.failedFuture(new BackendUnavailableException(name + " proxy unavailable"));
  }

  private static JsonObject body(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    return new JsonObject(body);
  }
}
