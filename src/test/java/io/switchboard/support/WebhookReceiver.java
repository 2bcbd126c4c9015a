package io.switchboard.support;

import io.switchboard.backend.Signature;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A backend's webhook endpoint for tests: a real Vert.x HTTP server on a free port that checks each
 * request's signature with the documented recipe ({@link Signature#verify}), records it, and
 * answers the status the test sets (200 by default; a 500 until the test says otherwise, and so on).
 */
public final class WebhookReceiver implements AutoCloseable {

  public static final String PATH = "/hooks/switchboard";

  /** One POST: its events, whether its signature held, and what it was answered. */
  public record Request(JsonArray events, boolean signed, int status) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final String secret;
  private final HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  /** @param secret the secret the receiver checks signatures with (one of backend.secrets) */
  public WebhookReceiver(String secret) {
    this.secret = secret;
    this.server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      boolean signed = PATH.equals(req.path()) && Signature.verify(req.getHeader(Signature.HEADER), body.getBytes(), secret,
          System.currentTimeMillis() / 1000, Signature.DEFAULT_TOLERANCE_SECONDS);
      int answer = signed ? status.get() : 401;
      JsonArray events;
      try {
        events = body.toJsonObject().getJsonArray("events");
      } catch (RuntimeException e) {
        events = new JsonArray();
      }
      requests.add(new Request(events, signed, answer));
      req.response().setStatusCode(answer).end();
    })).listen(0, "127.0.0.1").await();
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  public String secret() {
    return secret;
  }

  /** What every following request is answered. */
  public void answer(int status) {
    this.status.set(status);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Events of the requests that were answered 2xx, in the order they came (a redelivered one twice). */
  public List<JsonObject> accepted() {
    List<JsonObject> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.status >= 200 && r.status < 300) {
        r.events.forEach(e -> out.add((JsonObject) e));
      }
    }
    return out;
  }

  /** Waits until an accepted event matches, and returns it. */
  public JsonObject await(String what, Predicate<JsonObject> match) {
    RedisServer.await(what, WsClient.WAIT.toMillis(), () -> accepted().stream().anyMatch(match));
    return accepted().stream().filter(match).findFirst().orElseThrow();
  }

  public void awaitAccepted(String what, int distinctEvents) {
    RedisServer.await(what, WsClient.WAIT.toMillis() * 3,
        () -> accepted().stream().map(e -> e.getString("id")).distinct().count() >= distinctEvents);
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
