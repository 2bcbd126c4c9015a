package io.switchboard.admin;

import io.switchboard.cluster.NodeDirectory;
import io.switchboard.cluster.NodeInfo;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * GET /api/v1/admin/stream: the cluster's nodes as server-sent events, one {@code nodes} event every
 * {@link #PERIOD_MS} at most (each waits a period after the previous one was written), each with
 * every node's directory entry. The console reads it with fetch(), which, unlike EventSource, can
 * send the Authorization header.
 */
final class AdminStream implements Handler<RoutingContext> {

  static final long PERIOD_MS = 1_000;

  private final Vertx vertx;
  private final NodeDirectory directory;

  AdminStream(Vertx vertx, NodeDirectory directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        // a proxy that buffers (nginx does by default) would hold the events back
        .putHeader("x-accel-buffering", "no");
    new Feed(response).next(0);
  }

  /** One open stream: reads the directory, writes it, and only then schedules the next read. */
  private final class Feed {
    private final HttpServerResponse response;
    private long timer = -1;

    Feed(HttpServerResponse response) {
      this.response = response;
      response.closeHandler(v -> vertx.cancelTimer(timer));
    }

    /** The delay runs from the previous write: two updates are never closer than a period. */
    void next(long delayMs) {
      if (delayMs == 0) {
        update();
      } else {
        timer = vertx.setTimer(delayMs, t -> update());
      }
    }

    private void update() {
      if (response.closed() || response.ended()) {
        return;
      }
      directory.nodes().onComplete(ar -> {
        if (response.closed() || response.ended()) {
          return;
        }
        if (ar.succeeded()) {
          JsonArray nodes = new JsonArray();
          ar.result().stream().map(NodeInfo::toJson).forEach(nodes::add);
          response.write("event: nodes\ndata: " + new JsonObject().put("at", System.currentTimeMillis()).put("nodes", nodes).encode() + "\n\n");
        }
        next(PERIOD_MS);
      });
    }
  }
}
