package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.store.MessageLog;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.StoredMessage;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream logs in Redis: per stream a head ({@link Keys#head}: last seq, epoch, last append), a Redis
 * Stream whose entry ids are {@code 0-<seq>} ({@link Keys#log}) and idempotency keys, all under the
 * stream's hash tag.
 *
 * <p>Time is the node's clock, passed to the scripts as {@code now}: retention by age and the
 * idempotency window are decided by it, never by Redis' clock or key expiry (those only collect
 * garbage after the fact), so every node and every test clock sees the same rules.
 */
final class RedisLog {

  /** Idempotency keys outlive the window by this much in Redis, for clocks that differ between nodes. */
  static final long IDEMPOTENCY_GRACE_MS = 60_000;

  private static final LuaScript APPEND = LuaScript.load("retention.lua", "head.lua", "append.lua");
  private static final LuaScript READ = LuaScript.load("retention.lua", "head.lua", "read.lua");

  private final Pipeline pipeline;
  private final Clock clock;
  private final String maxMessages;
  private final String maxAgeMs;
  private final String idempotencyMs;
  private final String idempotencyTtlMs;
  private final long idleMs;
  private final String idle;
  /** The head key outlives the stream's life by another grace, so a new epoch is seen to follow the old one. */
  private final String headTtlMs;
  private final boolean cluster;

  RedisLog(Pipeline pipeline, StoreOptions options, Clock clock) {
    this.pipeline = pipeline;
    this.clock = clock;
    this.maxMessages = String.valueOf(options.getRetentionMessages());
    this.maxAgeMs = String.valueOf(options.getRetentionSeconds() * 1000);
    this.idleMs = options.getRetentionSeconds() * 1000 + MessageLog.IDLE_GRACE_MS;
    this.idle = String.valueOf(idleMs);
    this.headTtlMs = String.valueOf(idleMs + MessageLog.IDLE_GRACE_MS);
    this.cluster = options.getRedis().getMode() == RedisOptions.Mode.CLUSTER;
    long window = options.getIdempotencySeconds() * 1000;
    this.idempotencyMs = String.valueOf(window);
    this.idempotencyTtlMs = String.valueOf(window + IDEMPOTENCY_GRACE_MS);
  }

  /**
   * One script, atomic: a remembered (sender, id) of the current epoch inside the window answers the
   * first seq (and the entry while the log holds it); otherwise the next seq (a new epoch at seq 1
   * when the stream has no live history), XADD the entry, trim to the count, trim what is too old,
   * write the head and remember the id; and when the request asks, note the message in the webhook
   * outbox ({@link Keys#outbox}), so that its events outlive this node.
   */
  Future<AppendResult> append(AppendRequest r) {
    long now = clock.millis();
    String id = r.clientId() != null ? r.clientId() : MessageIds.next();
    String outbox = Keys.outbox(r.stream(), cluster);
    List<String> keys = r.clientId() == null
        ? List.of(Keys.head(r.stream()), Keys.log(r.stream()), outbox)
        : List.of(Keys.head(r.stream()), Keys.log(r.stream()), outbox, Keys.idempotency(r.stream(), r.from(), r.clientId()));
    List<String> args = List.of(String.valueOf(now), maxMessages, maxAgeMs, idempotencyMs, idempotencyTtlMs, id, r.from(),
        r.body(), idle, headTtlMs, r.outbox() ? "1" : "0", r.stream());
    return APPEND.run(pipeline, r.stream(), pipeline.deadline(), keys, args).map(reply -> {
      long seq = reply.get(1).toLong();
      long epoch = reply.get(2).toLong();
      if (reply.get(0).toInteger() == 1) {
        Response original = reply.size() > 3 ? reply.get(3) : null;
        return new AppendResult(seq, epoch, id, true, original == null ? null : entry(r.stream(), epoch, original));
      }
      Response noted = reply.size() > 3 ? reply.get(3) : null;
      return new AppendResult(seq, epoch, id, false, new StoredMessage(r.stream(), seq, epoch, id, r.from(), r.body(), now),
          noted == null ? null : noted.toString());
    });
  }

  /**
   * One read-only script: the head, the first seq still young enough and the page, all at one
   * instant, so they agree with each other. The page is capped at {@link MessageLog#MAX_PAGE}.
   */
  Future<ReadResult> read(String stream, long fromSeq, int limit) {
    int max = Math.min(Math.max(limit, 0), MessageLog.MAX_PAGE);
    List<String> keys = List.of(Keys.head(stream), Keys.log(stream));
    List<String> args = List.of(String.valueOf(clock.millis()), maxAgeMs, String.valueOf(Math.max(fromSeq, 0)),
        String.valueOf(max), idle);
    return READ.run(pipeline, stream, pipeline.deadline(), keys, args).map(reply -> {
      Response entries = reply.get(2);
      long epoch = reply.get(3).toLong();
      List<StoredMessage> page = new ArrayList<>(entries.size());
      for (Response e : entries) {
        page.add(entry(stream, epoch, e));
      }
      return new ReadResult(page, reply.get(1).toLong(), reply.get(0).toLong(), epoch);
    });
  }

  /**
   * The heads of many streams: the repair sweep reads those of every stream a node follows every few
   * seconds. On one server, one MGET however many; in a Redis Cluster one GET per stream, issued
   * together (the client's MGET across slots returns the values of each slot's keys grouped by
   * slot, not in the order asked). Liveness is decided here by the node's clock, as the scripts do.
   */
  Future<Map<String, Position>> heads(Collection<String> streams) {
    if (streams.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> names = List.copyOf(streams);
    long deadline = pipeline.deadline();
    Future<List<Response>> values;
    if (cluster) {
      List<Future<Response>> gets = new ArrayList<>(names.size());
      names.forEach(stream -> gets.add(pipeline.send(stream, Request.cmd(Command.GET).arg(Keys.head(stream)), deadline)));
      values = Future.all(gets).map(all -> all.list());
    } else {
      Request mget = Request.cmd(Command.MGET);
      names.forEach(stream -> mget.arg(Keys.head(stream)));
      values = pipeline.send(names.get(0), mget, deadline).map(all -> {
        List<Response> list = new ArrayList<>(names.size());
        all.forEach(list::add);
        return list;
      });
    }
    return values.map(all -> {
      long now = clock.millis();
      Map<String, Position> heads = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Response head = all.get(i);
        heads.put(names.get(i), head == null ? Position.NONE : position(head.toString(), now));
      }
      return heads;
    });
  }

  /** A head value {@code <seq>:<epoch>:<last append>} at {@code now}: none once the stream is idle past its life. */
  private Position position(String head, long now) {
    int a = head.indexOf(':');
    int b = head.indexOf(':', a + 1);
    if (now - Long.parseLong(head.substring(b + 1)) > idleMs) {
      return Position.NONE;
    }
    return new Position(Long.parseLong(head.substring(0, a)), Long.parseLong(head.substring(a + 1, b)));
  }

  /** A log entry as the scripts return it: {@code ["0-<seq>", [field, value, ...]]}. */
  private static StoredMessage entry(String stream, long epoch, Response e) {
    String entryId = e.get(0).toString();
    long seq = Long.parseLong(entryId.substring(entryId.indexOf('-') + 1));
    Response fields = e.get(1);
    String id = null;
    String from = null;
    String body = null;
    long ts = 0;
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      String value = fields.get(i + 1).toString();
      switch (fields.get(i).toString()) {
        case "i" -> id = value;
        case "f" -> from = value;
        case "b" -> body = value;
        case "t" -> ts = Long.parseLong(value);
        default -> { }
      }
    }
    return new StoredMessage(stream, seq, epoch, id, from, body, ts);
  }
}
