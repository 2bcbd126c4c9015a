package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load-generator process. It reads one JSON command per line on stdin and answers one JSON line
 * (with the command's id) on stdout; it exits when stdin closes, so it never outlives the coordinator.
 *
 * <p>Commands: connect, failover, send, stopSend (ends a send early), stats, close (see each method).
 */
public final class Worker {

  private static final long MAX_CONNECT_MS = 600_000;
  private static final long MAX_SEND_MS = 600_000;
  private static final long ACK_WAIT_MS = 15_000;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final Stats stats = new Stats();
  private final Map<String, Group> groups = new ConcurrentHashMap<>();
  private final PrintStream out;
  private final Jwt jwt;

  private Worker(PrintStream out, String secret) {
    this.out = out;
    this.jwt = new Jwt(secret);
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // stdout carries answers only
    Worker w = new Worker(out, System.getenv().getOrDefault("BENCH_JWT_SECRET", ""));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject cmd = new JsonObject(line);
      if ("exit".equals(cmd.getString("cmd"))) {
        break;
      }
      w.handle(cmd);
    }
    w.groups.values().forEach(Group::close);
    w.vertx.close().await();
    System.exit(0);
  }

  private void handle(JsonObject cmd) {
    Future<JsonObject> f;
    try {
      f = switch (cmd.getString("cmd")) {
        case "connect" -> connect(cmd);
        case "failover" -> failover(cmd);
        case "send" -> send(cmd);
        case "stats" -> Future.succeededFuture(statsReply(cmd.getBoolean("reset", false)));
        case "close" -> close(cmd);
        case "stopSend" -> {
          group(cmd).stopSending = true;
          yield Future.succeededFuture(new JsonObject());
        }
        default -> Future.failedFuture("unknown command " + cmd.getString("cmd"));
      };
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      JsonObject reply = ar.succeeded() ? ar.result() : new JsonObject().put("error", String.valueOf(ar.cause()));
      reply.put("id", cmd.getValue("id"));
      synchronized (out) {
        out.println(reply.encode());
      }
    });
  }

  /**
   * {group, proto, host, port, local, prefix, from, to, room?, concurrency}: opens users
   * prefix+from .. prefix+(to-1), at most concurrency handshakes at once; answers with the count
   * connected and the handshake-to-ready latencies.
   */
  private Future<JsonObject> connect(JsonObject cmd) {
    Group g = groups.computeIfAbsent(cmd.getString("group"), name -> new Group(vertx, Proto.of(cmd.getString("proto")),
        cmd.getString("local", "127.0.0.1"), cmd.getString("room"), stats, jwt));
    String host = cmd.getString("host");
    int port = cmd.getInteger("port");
    int from = cmd.getInteger("from");
    int to = cmd.getInteger("to");
    int concurrency = cmd.getInteger("concurrency", 200);
    List<Conn> fresh = new ArrayList<>();
    for (int i = from; i < to; i++) {
      fresh.add(new Conn(g, cmd.getString("prefix") + i));
    }
    g.conns.addAll(fresh);
    Histogram hs = new Histogram();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Promise<JsonObject> result = Promise.promise();
    long start = System.nanoTime();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= fresh.size()) {
        return;
      }
      fresh.get(i).connect(host, port).onComplete(ar -> {
        if (ar.succeeded()) {
          ok.incrementAndGet();
          hs.record(ar.result());
        } else if (failed.incrementAndGet() <= 5) {
          System.err.println("[worker] connect failed: " + ar.cause());
        }
        if (finished.incrementAndGet() == fresh.size()) {
          result.tryComplete(connectReply(ok.get(), failed.get(), hs, start));
        } else {
          pump[0].run();
        }
      });
    };
    if (fresh.isEmpty()) {
      return Future.succeededFuture(connectReply(0, 0, hs, start));
    }
    vertx.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, fresh.size()); i++) {
        pump[0].run();
      }
    });
    long timeout = Math.min(MAX_CONNECT_MS, cmd.getLong("timeoutMs", 120_000L));
    vertx.setTimer(timeout, t -> result.tryComplete(connectReply(ok.get(), fresh.size() - ok.get(), hs, start).put("timedOut", true)));
    return result.future();
  }

  private static JsonObject connectReply(int ok, int failed, Histogram hs, long start) {
    return new JsonObject().put("connected", ok).put("failed", failed)
        .put("elapsedMs", (System.nanoTime() - start) / 1_000_000).put("handshake", hs.toJson());
  }

  /** {group, host, port, jitterMs}: after a close, the group's clients reconnect there. */
  private Future<JsonObject> failover(JsonObject cmd) {
    Group g = group(cmd);
    g.jitterMs = cmd.getLong("jitterMs", 1000L);
    g.failoverPort = cmd.getInteger("port");
    g.failoverHost = cmd.getString("host");
    return Future.succeededFuture(new JsonObject());
  }

  /**
   * {group, to: [streams], rate, durationMs, senders}: the first `senders` open clients of the group
   * send `rate` messages per second in all, round-robin over the streams, for durationMs; answers
   * once every send is acknowledged (or after a bounded wait) with the counts.
   */
  private Future<JsonObject> send(JsonObject cmd) {
    Group g = group(cmd);
    List<Conn> open = g.open();
    int senders = Math.min(open.size(), cmd.getInteger("senders", open.size()));
    if (senders == 0) {
      return Future.failedFuture("no open client in group " + cmd.getString("group"));
    }
    List<Conn> from = open.subList(0, senders);
    List<String> targets = new ArrayList<>();
    cmd.getJsonArray("to").forEach(t -> targets.add((String) t));
    double rate = cmd.getDouble("rate");
    long duration = Math.min(MAX_SEND_MS, cmd.getLong("durationMs"));
    long sentBefore = stats.sent.get();
    long ackedBefore = stats.acked.get();
    long errorsBefore = stats.errors.get();
    Promise<JsonObject> done = Promise.promise();
    long start = System.nanoTime();
    long[] count = {0};
    g.stopSending = false;
    long timer = vertx.setPeriodic(2, id -> {
      long now = System.nanoTime();
      long elapsed = Math.min(now - start, duration * 1_000_000);
      long due = (long) (rate * elapsed / 1e9);
      for (long n = count[0]; n < due; n++) {
        int i = (int) (n % Integer.MAX_VALUE);
        from.get(i % senders).write(g.proto.sendFrame(targets.get(i % targets.size()), System.nanoTime()));
        stats.sent.incrementAndGet();
      }
      count[0] = Math.max(count[0], due);
      if (now - start >= duration * 1_000_000 || g.stopSending) {
        vertx.cancelTimer(id);
        awaitAcks(g, sentBefore, ackedBefore, errorsBefore, System.nanoTime() + ACK_WAIT_MS * 1_000_000, done, now - start);
      }
    });
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Socket.IO has no acknowledgement: a message written counts as acked. */
  private void awaitAcks(Group g, long sent0, long acked0, long errors0, long deadline, Promise<JsonObject> done, long sendNanos) {
    long sent = stats.sent.get() - sent0;
    long acked = g.proto == Proto.SB ? stats.acked.get() - acked0 : sent;
    long errors = stats.errors.get() - errors0;
    if (acked + errors >= sent || System.nanoTime() > deadline) {
      done.complete(new JsonObject().put("sent", sent).put("acked", acked).put("errors", errors).put("sendMs", sendNanos / 1_000_000));
      return;
    }
    vertx.setTimer(20, t -> awaitAcks(g, sent0, acked0, errors0, deadline, done, sendNanos));
  }

  private JsonObject statsReply(boolean reset) {
    int open = 0;
    for (Group g : groups.values()) {
      for (Conn c : g.conns) {
        if (c.open()) {
          open++;
        }
      }
    }
    JsonObject s = stats.toJson().put("open", open).put("nowNs", System.nanoTime());
    if (reset) {
      stats.reset();
    }
    return s;
  }

  /** {group}: closes the group's clients (no reconnect). */
  private Future<JsonObject> close(JsonObject cmd) {
    Group g = groups.remove(cmd.getString("group"));
    if (g != null) {
      g.close();
    }
    return Future.succeededFuture(new JsonObject());
  }

  private Group group(JsonObject cmd) {
    Group g = groups.get(cmd.getString("group"));
    if (g == null) {
      throw new IllegalArgumentException("no group " + cmd.getString("group"));
    }
    return g;
  }
}
