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
import java.util.function.Function;

/**
 * A load-generator process. It reads one JSON command per line on stdin and answers one JSON line
 * (with the command's id) on stdout; it exits when stdin closes, so it never outlives the coordinator.
 *
 * <p>Commands: connect, failover, send, stopSend (ends a send early), stats, close, disconnect (closes
 * but keeps the clients), resume (reconnects them with their positions) (see each method).
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
        case "resume" -> resume(cmd);
        case "disconnect" -> disconnect(cmd);
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
   * {group, proto, host, port, local, prefix, from, to, room?, rooms?, roomPrefix?, concurrency | rate}:
   * opens users prefix+from .. prefix+(to-1), at most concurrency handshakes at once, or, with a
   * rate, one every 1/rate s whatever happened to the ones before (open loop); answers with the
   * count connected and the latencies ({@link ConnectBatch}). With rooms (a count), client i joins
   * that many rooms of its own and keeps its positions, for a later resume.
   */
  private Future<JsonObject> connect(JsonObject cmd) {
    Group g = groups.computeIfAbsent(cmd.getString("group"), name -> new Group(vertx, Proto.of(cmd.getString("proto")),
        cmd.getString("local", "127.0.0.1"), cmd.getString("room"), stats, jwt));
    String host = cmd.getString("host");
    int port = cmd.getInteger("port");
    int rooms = cmd.getInteger("rooms", 0);
    List<Conn> fresh = new ArrayList<>();
    for (int i = cmd.getInteger("from"); i < cmd.getInteger("to"); i++) {
      String user = cmd.getString("prefix") + i;
      fresh.add(rooms == 0 ? new Conn(g, user) : new Conn(g, user, clientRooms(cmd.getString("roomPrefix"), i, rooms), true));
    }
    g.conns.addAll(fresh);
    long timeout = Math.min(MAX_CONNECT_MS, cmd.getLong("timeoutMs", 120_000L));
    if (cmd.containsKey("rate")) {
      return atRate(fresh, c -> c.connect(host, port), cmd.getDouble("rate"), timeout);
    }
    return inFlight(fresh, c -> c.connect(host, port), cmd.getInteger("concurrency", 200), timeout);
  }

  /**
   * Rooms of about 100 members: client i is in room k of its hundred for each k, so that a resume
   * reads rooms of its own rather than one room every client shares.
   */
  private static List<String> clientRooms(String prefix, int i, int count) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      out.add(prefix + k + "-" + i / 100);
    }
    return out;
  }

  /** {group, host, port, concurrency, timeoutMs}: reconnects the group's clients, each resuming every position it kept. */
  private Future<JsonObject> resume(JsonObject cmd) {
    Group g = group(cmd);
    String host = cmd.getString("host");
    int port = cmd.getInteger("port");
    long timeout = Math.min(MAX_CONNECT_MS, cmd.getLong("timeoutMs", 120_000L));
    return inFlight(new ArrayList<>(g.conns), c -> c.resume(host, port), cmd.getInteger("concurrency", 200), timeout);
  }

  /** Starts each connect as one before it finishes: at most {@code concurrency} at once. */
  private Future<JsonObject> inFlight(List<Conn> conns, Function<Conn, Future<Long>> open, int concurrency, long timeoutMs) {
    ConnectBatch batch = new ConnectBatch(conns.size());
    AtomicInteger next = new AtomicInteger();
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= conns.size()) {
        return;
      }
      Conn c = conns.get(i);
      open.apply(c).onComplete(ar -> {
        batch.finished(c, ar, 0);
        pump[0].run();
      });
    };
    vertx.runOnContext(v -> {
      for (int i = 0; i < Math.min(concurrency, conns.size()); i++) {
        pump[0].run();
      }
    });
    vertx.setTimer(timeoutMs, t -> batch.timeOut());
    return batch.future();
  }

  /**
   * Open loop: connect k is due at start + k/rate and starts then (a 1 ms tick starts every one
   * due), however many are still in flight; its latency is counted from when it was due.
   */
  private Future<JsonObject> atRate(List<Conn> conns, Function<Conn, Future<Long>> open, double rate, long timeoutMs) {
    ConnectBatch batch = new ConnectBatch(conns.size());
    long start = System.nanoTime();
    int[] started = {0};
    vertx.setPeriodic(1, id -> {
      long now = System.nanoTime();
      while (started[0] < conns.size()) {
        long due = start + (long) (started[0] * 1e9 / rate);
        if (due > now) {
          return;
        }
        Conn c = conns.get(started[0]++);
        open.apply(c).onComplete(ar -> batch.finished(c, ar, due));
      }
      vertx.cancelTimer(id);
    });
    vertx.setTimer(timeoutMs, t -> batch.timeOut());
    return batch.future();
  }

  /** {group}: closes the group's sockets but keeps its clients and their positions; answers once they are closed (bounded). */
  private Future<JsonObject> disconnect(JsonObject cmd) {
    Group g = group(cmd);
    g.conns.forEach(Conn::close);
    Promise<JsonObject> done = Promise.promise();
    long deadline = System.nanoTime() + 30_000_000_000L;
    vertx.setPeriodic(20, id -> {
      long open = g.conns.stream().filter(Conn::socketOpen).count();
      if (open == 0 || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        done.complete(new JsonObject().put("stillOpen", open));
      }
    });
    return done.future();
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
