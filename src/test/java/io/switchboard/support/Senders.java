package io.switchboard.support;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Several clients sending at the same time, each from its own thread. */
public final class Senders {

  private Senders() {
  }

  /** Each client sends {@code each} messages (bodies 0, 1, ...) to the stream, all at once; returns when all are written. */
  public static void concurrently(List<WsClient> clients, String stream, int each) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients.size());
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (WsClient client : clients) {
        done.add(CompletableFuture.runAsync(() -> {
          for (int m = 0; m < each; m++) {
            client.send(new JsonObject().put("type", "send").put("to", stream).put("body", m));
          }
        }, pool));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture<?>[]::new)).get();
    } finally {
      pool.shutdown();
    }
  }
}
