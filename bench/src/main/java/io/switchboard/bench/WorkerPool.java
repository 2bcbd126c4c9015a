package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The generator processes, and the request/answer line protocol the coordinator speaks with them. */
final class WorkerPool implements AutoCloseable {

  private static final long ANSWER_TIMEOUT_MS = 900_000;
  private final List<Process> processes = new ArrayList<>();
  private final List<OutputStream> inputs = new ArrayList<>();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private int nextAddress;

  WorkerPool(int count, String secret, Path logs) throws IOException {
    for (int i = 0; i < count; i++) {
      Process p = Procs.startPiped(List.of(Procs.javaBin(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
          Worker.class.getName()), Map.of("BENCH_JWT_SECRET", secret), logs.resolve("worker-" + i + ".log"));
      processes.add(p);
      inputs.add(p.getOutputStream());
      Thread reader = new Thread(() -> read(p), "bench-worker-" + i);
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** The generator's process ids, for CPU accounting. */
  List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  int size() {
    return processes.size();
  }

  /** A fresh source address for each batch of connections: 127.0.x.y, so no two batches share a port range. */
  synchronized String nextLocal() {
    int n = nextAddress++;
    return "127.0." + (1 + (n / 250) % 250) + "." + (1 + n % 250);
  }

  CompletableFuture<JsonObject> request(int worker, JsonObject cmd) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    try {
      OutputStream in = inputs.get(worker);
      synchronized (in) {
        in.write((cmd.copy().put("id", id).encode() + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      f.completeExceptionally(e);
    }
    return f.orTimeout(ANSWER_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** Sends a command to each worker (built per index) and waits for every answer. */
  List<JsonObject> each(java.util.function.IntFunction<JsonObject> cmd) {
    List<CompletableFuture<JsonObject>> fs = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      JsonObject c = cmd.apply(i);
      fs.add(c == null ? CompletableFuture.completedFuture(new JsonObject()) : request(i, c));
    }
    List<JsonObject> out = new ArrayList<>();
    for (CompletableFuture<JsonObject> f : fs) {
      JsonObject r = f.join();
      if (r.containsKey("error")) {
        throw new IllegalStateException("worker: " + r.getString("error"));
      }
      out.add(r);
    }
    return out;
  }

  private void read(Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonObject answer = new JsonObject(line);
        CompletableFuture<JsonObject> f = pending.remove(answer.getInteger("id"));
        if (f != null) {
          f.complete(answer);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the worker died: its pending requests time out
    }
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("a worker exited")));
  }

  @Override
  public void close() {
    for (int i = 0; i < processes.size(); i++) {
      try {
        OutputStream in = inputs.get(i);
        synchronized (in) {
          in.write("{\"cmd\":\"exit\"}\n".getBytes(StandardCharsets.UTF_8));
          in.flush();
        }
      } catch (IOException ignored) {
        // already gone
      }
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          Procs.kill(p);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Procs.kill(p);
    }
  }
}
