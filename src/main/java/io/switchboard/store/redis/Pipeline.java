package io.switchboard.store.redis;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.types.ErrorType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Sends commands to Redis, each with a deadline, pipelining them under load.
 *
 * <p><b>Why not {@code Redis.send}.</b> The client's pool lends a connection to one borrower at a
 * time, and {@code send} gives it back only after the reply: concurrent sends each hold a connection
 * for a whole round trip, and beyond {@code poolSize} they queue in the pool. Nothing is pipelined.
 * A borrowed connection however takes any number of commands without waiting for their replies
 * (they come back in order). So the commands are spread over {@code poolSize} lanes; a lane borrows
 * one connection, writes every command waiting in it (up to {@link #DEPTH}) back to back, waits for
 * those replies and repeats while commands are waiting, then returns the connection. Idle, a command
 * goes out at once on its own; under load one round trip carries as many commands as arrived during
 * the previous one.
 *
 * <p><b>Order.</b> A command's lane is chosen by its hash tag (its stream or user), so commands of
 * one stream issued one after the other are written in that order on one connection and Redis runs
 * them in that order: two quick sends of one client get their seqs in the order they were sent.
 *
 * <p><b>Cluster mode.</b> A borrowed cluster connection holds a connection to every node and
 * routes each command to the master of its keys' slot, so a round may mix streams of any slots; it
 * is pipelined per node. {@code Redis.batch} would not do: it needs every key of the batch on one
 * node. Each of our commands has all its keys under one hash tag, so it never spans slots.
 *
 * <p><b>Failures.</b> Every call fails at its deadline whatever Redis does (a frozen server accepts
 * connections and commands and never answers). Deadlines are checked by one periodic sweep, every
 * 50 ms (a tenth of the timeout if that is less), not by a timer per call: setting and cancelling
 * tens of thousands of timers a second took 7% of a loaded node's CPU. A command still waiting in a
 * lane at its deadline is never sent; one already written may still run later. Once every caller of a round has given up,
 * a round still without replies closes its connection, and a connection that takes that long to
 * get replaces the client ({@link ClientGenerations}). A connection that failed is not reused.
 * After a failed connection attempt the lane backs off (50 ms doubling to 2 s, with jitter): until
 * its next attempt is due, its commands fail at once, those that were queued behind the failed
 * attempt as well as new ones, instead of each trying to connect, so an outage under load is one
 * attempt per lane and backoff step, not a storm. Nothing reconnects in the background: the first
 * command after the backoff tries, so service comes back by itself at most 2 s after Redis does.
 *
 * <p><b>Scripts.</b> Every registered Lua script is loaded on a connection before its first round
 * ({@link ConnectionScripts}). A cache emptied under an open connection (SCRIPT FLUSH, a server
 * swapped behind an address) still answers NOSCRIPT. Redis has then run the rest of the round, and
 * a later command of the same stream may have found the script (another connection loaded it
 * meanwhile): re-sending the call that missed would run it after that one, and a client's second
 * send would get the lower seq. So once the whole round has answered, a call that missed is re-sent
 * (as EVAL, in round order, before anything else on the connection) only if no later call of its
 * stream in the round ran; otherwise it fails, not run, and the client retries it with the same id.
 */
final class Pipeline {

  /** Commands written on one connection before waiting for their replies. */
  static final int DEPTH = 128;
  /** Commands a lane holds before it refuses more (Redis stuck, callers keep sending). */
  static final int MAX_WAITING = 4096;
  /**
   * A command that would queue behind one already waiting longer than this fraction of the timeout
   * is refused at once. Past capacity, a queue only grows until everything in it times out: every
   * caller then waits the whole timeout to be refused, and the work done for commands whose callers
   * have given up starves the ones that could still make it (the node's throughput collapsed to
   * half under an offered load just above it). Refusing early keeps what is accepted fast.
   */
  static final int SHED_AFTER_FRACTION = 4;
  /** After a failed connection a lane waits this long before the next attempt, doubling up to MAX. */
  static final long BACKOFF_BASE_MS = 50;
  static final long BACKOFF_MAX_MS = 2_000;

  private final Vertx vertx;
  private final ClientGenerations clients;
  private final int timeoutMs;
  private final Lane[] lanes;
  private final AtomicInteger nextKeyless = new AtomicInteger();
  private final RedisStoreException timeout;
  private final RedisStoreException overloaded;
  private final RedisStoreException behind;
  private final long shedAfterNanos;
  private final RedisStoreException closedError = RedisStoreException.plain("Redis store closed");
  private final RedisStoreException overtaken = RedisStoreException.plain("Redis had lost its scripts (SCRIPT FLUSH,"
      + " restart or failover) and a later command of the same stream ran first: this one was not run, to keep the order");
  private final RedisStoreException scriptLostConnectionBroken = RedisStoreException.plain("Redis had lost its scripts"
      + " and the connection failed: not run");
  private final ConnectionScripts scripts;
  private final RedisAvailability availability;
  private final long sweeper;
  private volatile boolean closed;

  Pipeline(Vertx vertx, ClientGenerations clients, int connections, int timeoutMs) {
    this(vertx, clients, connections, timeoutMs, ConnectionScripts.create());
  }

  Pipeline(Vertx vertx, ClientGenerations clients, int connections, int timeoutMs, ConnectionScripts scripts) {
    this.vertx = vertx;
    this.clients = clients;
    this.scripts = scripts;
    this.availability = new RedisAvailability("(" + clients.description() + ")");
    this.timeoutMs = timeoutMs;
    this.timeout = RedisStoreException.plain("Redis did not answer within " + timeoutMs + " ms");
    this.overloaded = RedisStoreException.plain("Redis is not keeping up: " + MAX_WAITING + " commands waiting");
    this.shedAfterNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs) / SHED_AFTER_FRACTION;
    this.behind = RedisStoreException.plain("Redis is not keeping up: commands have waited over "
        + timeoutMs / SHED_AFTER_FRACTION + " ms to be sent");
    this.lanes = new Lane[connections];
    for (int i = 0; i < connections; i++) {
      lanes[i] = new Lane();
    }
    this.sweeper = vertx.setPeriodic(Math.max(1, Math.min(50, timeoutMs / 10)), id -> {
      long now = System.nanoTime();
      for (Lane lane : lanes) {
        lane.failOverdue(now);
      }
    });
  }

  /** The deadline of a call starting now; the commands of one store operation share it. */
  long deadline() {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** A command without keys (PING), on any lane. */
  Future<Response> send(Request request) {
    Lane lane = lanes[Math.floorMod(nextKeyless.getAndIncrement(), lanes.length)];
    return lane.submit(null, request, null, deadline());
  }

  /** A command whose keys all carry the hash tag {@code tag}. */
  Future<Response> send(String tag, Request request, long deadline) {
    return send(tag, request, null, deadline);
  }

  /**
   * Like {@link #send(String, Request, long)} for an EVALSHA; if Redis answers NOSCRIPT, {@code onNoScript}
   * builds the EVAL of the same script, which is written on the same connection once the round has
   * answered, unless a later command of the same tag ran meanwhile (see the class comment).
   */
  Future<Response> send(String tag, Request request, Supplier<Request> onNoScript, long deadline) {
    return lanes[lane(tag)].submit(tag, request, onNoScript, deadline);
  }

  /** The lane of the commands whose keys carry {@code tag}. */
  int lane(String tag) {
    return Math.floorMod(tag.hashCode(), lanes.length);
  }

  Future<Void> close() {
    closed = true;
    vertx.cancelTimer(sweeper);
    for (Lane lane : lanes) {
      lane.failWaiting(closedError);
    }
    return clients.close();
  }

  /** Anything but an ordinary error reply means the connection is not to be used again. */
  private static boolean breaksConnection(Throwable t) {
    if (!(t instanceof ErrorType e)) {
      return true;
    }
    // READONLY: a master demoted by a failover; borrowing again finds the new one
    return e.is("CONNECTION_CLOSED") || e.is("READONLY");
  }

  private static boolean isNoScript(Throwable t) {
    return t instanceof ErrorType e && e.is("NOSCRIPT");
  }

  private static Future<Response> write(RedisConnection conn, Request request) {
    try {
      return conn.send(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<RedisConnection> connect(Redis client) {
    try {
      return client.connect();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private final class Lane {
    private final ConcurrentLinkedQueue<Call> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    /** Holds a connection or is getting one; one at a time per lane. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** nanoTime before which no connection is attempted (0: none failed lately). */
    private volatile long retryAt;
    /** The round written last; its calls are checked by the sweep until the next round replaces it. */
    private volatile Round inFlight;
    private int failures;

    Future<Response> submit(String tag, Request request, Supplier<Request> onNoScript, long deadline) {
      if (closed) {
        return Future.failedFuture(closedError);
      }
      long now = System.nanoTime();
      if (deadline - now <= 0) {
        return Future.failedFuture(timeout);
      }
      long wait = backoffLeft(now);
      if (wait > 0) {
        return Future.failedFuture(unreachable(wait));
      }
      Call oldest = waiting.peek();
      if (oldest != null && now - oldest.enqueuedAt > shedAfterNanos) {
        return Future.failedFuture(behind);
      }
      if (size.incrementAndGet() > MAX_WAITING) {
        size.decrementAndGet();
        return Future.failedFuture(overloaded);
      }
      Call call = new Call(tag, request, onNoScript, deadline, now);
      waiting.add(call);
      pump();
      return call.promise.future();
    }

    /**
     * Looks at the queue itself, not at {@link #size}: a submitter counts its call before it is in
     * the queue, and a lane that saw the count but found nothing to take would borrow, find nothing,
     * release and borrow again, recursively (a pooled connection is lent synchronously) until the
     * stack overflowed and left the lane busy for good. The submitter adds, then pumps; the lane
     * clears busy, then looks: one of the two always sees the call.
     *
     * <p>While a failed attempt's backoff runs, what is waiting fails here instead of borrowing: a
     * lane released after a failed attempt with thousands of calls still queued would otherwise try
     * again at once for each batch of them, back to back. Failing never borrows, so this cannot
     * recurse either; a caller's callback that submits again is refused by {@link #submit}.
     */
    private void pump() {
      if (closed || waiting.isEmpty()) {
        return;
      }
      long wait = backoffLeft(System.nanoTime());
      if (wait > 0) {
        failWaiting(unreachable(wait));
      } else if (busy.compareAndSet(false, true)) {
        borrow();
      }
    }

    /** Nanoseconds until the next connection attempt is due; 0 or less when it is. */
    private long backoffLeft(long now) {
      long at = retryAt;
      return at == 0 ? 0 : at - now;
    }

    private void release() {
      busy.set(false);
      pump();
    }

    private void borrow() {
      Redis client = clients.current();
      AtomicBoolean settled = new AtomicBoolean();
      long watchdog = vertx.setTimer(timeoutMs, id -> {
        if (settled.compareAndSet(false, true)) {
          // the calls waiting for this connection have failed by now; a new client may do better
          clients.replace(client, "no connection after " + timeoutMs + " ms");
          availability.failed("no connection within " + timeoutMs + " ms");
          backOff();
          release();
        }
      });
      connect(client).onComplete(ar -> {
        if (!settled.compareAndSet(false, true)) {
          if (ar.succeeded()) {
            ar.result().close(); // too late, the lane has moved on
          }
          return;
        }
        vertx.cancelTimer(watchdog);
        if (ar.succeeded()) {
          failures = 0;
          retryAt = 0;
          round(client, ar.result());
        } else {
          // unreachable: fail what this connection would have carried now rather than at the deadline;
          // the rest of the queue fails in release()'s pump, as unreachable until the backoff is due
          Throwable cause = RedisStoreException.of(ar.cause());
          availability.failed(cause.getMessage());
          backOff();
          try {
            take().forEach(c -> c.fail(cause));
          } finally {
            release();
          }
        }
      });
    }

    private void backOff() {
      long ms = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(failures++, 6));
      // jitter, so the lanes of many nodes do not all try again at the same instant
      ms = ms / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(ms / 2 + 1);
      retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    }

    private void round(Redis client, RedisConnection conn) {
      List<Call> calls = take();
      if (calls.isEmpty()) {
        conn.close();
        release();
        return;
      }
      Round round = new Round(client, conn, calls);
      inFlight = round;
      // once every caller of this round has given up, a connection still without replies is dead
      // or frozen: close it, so this lane borrows a fresh one rather than wait for the OS to notice
      round.watchdog = vertx.setTimer(timeoutMs, id -> abandon(round));
      scripts.prepare(conn);
      for (Call call : calls) {
        write(conn, call.request).onComplete(ar -> {
          if (ar.failed() && call.onNoScript != null && isNoScript(ar.cause())) {
            // not run; whether it may still run is known once every later call of the round has answered
            call.noScript = true;
            round.noScript = true;
            replied(round);
          } else {
            finish(round, call, ar);
          }
        });
      }
    }

    /** The sweep: calls past their deadline fail now, whether still waiting or written and unanswered. */
    void failOverdue(long now) {
      for (Call c : waiting) {
        c.failIfOverdue(now, timeout);
      }
      Round round = inFlight;
      if (round != null) {
        for (Call c : round.calls) {
          c.failIfOverdue(now, timeout);
        }
      }
    }

    private void finish(Round round, Call call, AsyncResult<Response> ar) {
      if (ar.failed() && breaksConnection(ar.cause())) {
        round.broken = true;
      }
      if (ar.succeeded() || ar.cause() instanceof ErrorType e && !e.is("CONNECTION_CLOSED")) {
        availability.answered();
      } else {
        availability.failed(RedisStoreException.of(ar.cause()).getMessage());
      }
      try {
        call.complete(ar); // runs the caller's callbacks: whatever they do, the lane must go on
      } finally {
        replied(round);
      }
    }

    /** One more call of the round has its answer; after the last, the lane goes on. */
    private void replied(Round round) {
      if (round.pending.decrementAndGet() != 0) {
        return;
      }
      if (!round.noScript) {
        next(round);
        return;
      }
      round.noScript = false;
      List<Call> notRun = new ArrayList<>();
      boolean resent = resend(round, notRun);
      try {
        Throwable cause = closed ? closedError : round.broken ? scriptLostConnectionBroken : overtaken;
        for (Call c : notRun) {
          c.fail(cause);
        }
      } finally {
        if (!resent) {
          next(round); // else the re-sent calls' answers end the round
        }
      }
    }

    private void next(Round round) {
      vertx.cancelTimer(round.watchdog);
      if (round.broken || closed || round.client != clients.current()) {
        round.conn.close();
        release();
      } else {
        round(round.client, round.conn);
      }
    }

    /**
     * The calls of a finished round that met NOSCRIPT: each is written again as EVAL, in round order,
     * unless a later call with its tag ran (Redis answered anything but NOSCRIPT), which would then
     * have run before it; that one goes to {@code notRun}. Returns whether anything was written.
     */
    private boolean resend(Round round, List<Call> notRun) {
      scripts.forget(round.conn); // its cache is empty: every script is loaded again before the next EVALSHA
      Set<String> ranLater = new HashSet<>();
      ArrayDeque<Call> again = new ArrayDeque<>();
      long now = System.nanoTime();
      for (int i = round.calls.size() - 1; i >= 0; i--) {
        Call c = round.calls.get(i);
        if (!c.noScript) {
          ranLater.add(c.tag);
        } else if (round.broken || closed || ranLater.contains(c.tag)) {
          notRun.add(c);
        } else {
          c.failIfOverdue(now, timeout); // a call never goes out late
          if (!c.promise.future().isComplete()) {
            again.addFirst(c);
          }
        }
      }
      if (again.isEmpty()) {
        return false;
      }
      round.pending.set(again.size());
      scripts.prepare(round.conn);
      for (Call c : again) {
        write(round.conn, c.onNoScript.get()).onComplete(ar -> finish(round, c, ar));
      }
      return true;
    }

    /**
     * The next commands to write, skipping those whose callers have given up, and failing those past
     * their deadline that the sweep has not reached yet: a call never goes out late.
     */
    private List<Call> take() {
      List<Call> calls = new ArrayList<>();
      long now = System.nanoTime();
      Call c;
      while (calls.size() < DEPTH && (c = waiting.poll()) != null) {
        size.decrementAndGet();
        c.failIfOverdue(now, timeout);
        if (!c.promise.future().isComplete()) {
          calls.add(c);
        }
      }
      return calls;
    }

    private RedisStoreException unreachable(long waitNanos) {
      return RedisStoreException.plain("Redis unreachable; next attempt in " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms");
    }

    void failWaiting(Throwable cause) {
      Call c;
      while ((c = waiting.poll()) != null) {
        size.decrementAndGet();
        c.fail(cause);
      }
    }
  }

  /**
   * Standalone and Sentinel connections are pooled connections whose socket can be closed; a cluster
   * connection does not expose its per-node connections, so there the whole client is replaced (the
   * old one, with this connection, closes once its calls are past their deadline).
   */
  private void abandon(Round round) {
    availability.failed("no reply within " + timeoutMs + " ms");
    if (round.conn instanceof PooledRedisConnection pooled) {
      pooled.actual().forceClose();
    } else {
      clients.replace(round.client, "no reply after " + timeoutMs + " ms");
    }
  }
}
