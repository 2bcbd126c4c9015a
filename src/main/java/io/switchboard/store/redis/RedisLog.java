package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.MessageIds;
import io.switchboard.store.MessageLog;
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
 * Stream logs in Redis: per stream a counter ({@link Keys#seq}), a Redis Stream whose entry ids are
 * {@code 0-<seq>} ({@link Keys#log}) and idempotency keys, all under the stream's hash tag.
 *
 * <p>Time is the node's clock, passed to the scripts as {@code now}: retention by age and the
 * idempotency window are decided by it, never by Redis' clock or key expiry (those only collect
 * garbage after the fact), so every node and every test clock sees the same rules.
 */
final class RedisLog {

  /** Idempotency keys outlive the window by this much in Redis, for clocks that differ between nodes. */
  static final long IDEMPOTENCY_GRACE_MS = 60_000;

  private static final LuaScript APPEND = LuaScript.load("retention.lua", "append.lua");
  private static final LuaScript READ = LuaScript.load("retention.lua", "read.lua");

  private final Pipeline pipeline;
  private final Clock clock;
  private final String maxMessages;
  private final String maxAgeMs;
  private final String idempotencyMs;
  private final String idempotencyTtlMs;

  RedisLog(Pipeline pipeline, StoreOptions options, Clock clock) {
    this.pipeline = pipeline;
    this.clock = clock;
    this.maxMessages = String.valueOf(options.getRetentionMessages());
    this.maxAgeMs = String.valueOf(options.getRetentionSeconds() * 1000);
    long window = options.getIdempotencySeconds() * 1000;
    this.idempotencyMs = String.valueOf(window);
    this.idempotencyTtlMs = String.valueOf(window + IDEMPOTENCY_GRACE_MS);
  }

  /**
   * One script, atomic: a remembered (sender, id) inside the window answers the first seq (and the
   * entry while the log holds it); otherwise INCR the counter, XADD the entry, trim to the count, trim
   * what is too old, PEXPIRE the log to the retention age and remember the id.
   */
  Future<AppendResult> append(AppendRequest r) {
    long now = clock.millis();
    String id = r.clientId() != null ? r.clientId() : MessageIds.next();
    List<String> keys = r.clientId() == null
        ? List.of(Keys.seq(r.stream()), Keys.log(r.stream()))
        : List.of(Keys.seq(r.stream()), Keys.log(r.stream()), Keys.idempotency(r.stream(), r.from(), r.clientId()));
    List<String> args = List.of(String.valueOf(now), maxMessages, maxAgeMs, idempotencyMs, idempotencyTtlMs, id, r.from(), r.body());
    return APPEND.run(pipeline, r.stream(), pipeline.deadline(), keys, args).map(reply -> {
      long seq = reply.get(1).toLong();
      if (reply.get(0).toInteger() == 1) {
        Response original = reply.size() > 2 ? reply.get(2) : null;
        return new AppendResult(seq, id, true, original == null ? null : entry(r.stream(), original));
      }
      return new AppendResult(seq, id, false, new StoredMessage(r.stream(), seq, id, r.from(), r.body(), now));
    });
  }

  /**
   * One read-only script: the head, the first seq still young enough and the page, all at one
   * instant, so they agree with each other. The page is capped at {@link MessageLog#MAX_PAGE}.
   */
  Future<ReadResult> read(String stream, long fromSeq, int limit) {
    int max = Math.min(Math.max(limit, 0), MessageLog.MAX_PAGE);
    List<String> keys = List.of(Keys.seq(stream), Keys.log(stream));
    List<String> args = List.of(String.valueOf(clock.millis()), maxAgeMs, String.valueOf(Math.max(fromSeq, 0)), String.valueOf(max));
    return READ.run(pipeline, stream, pipeline.deadline(), keys, args).map(reply -> {
      Response entries = reply.get(2);
      List<StoredMessage> page = new ArrayList<>(entries.size());
      for (Response e : entries) {
        page.add(entry(stream, e));
      }
      return new ReadResult(page, reply.get(1).toLong(), reply.get(0).toLong());
    });
  }

  /**
   * One GET per stream: in a cluster the counters of different streams live in different slots, so
   * no MGET. The GETs are issued together and the pipeline writes them back to back.
   */
  Future<Map<String, Long>> heads(Collection<String> streams) {
    if (streams.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    long deadline = pipeline.deadline();
    List<String> names = List.copyOf(streams);
    List<Future<Response>> gets = new ArrayList<>(names.size());
    for (String stream : names) {
      gets.add(pipeline.send(stream, Request.cmd(Command.GET).arg(Keys.seq(stream)), deadline));
    }
    return Future.all(gets).map(all -> {
      Map<String, Long> heads = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Response head = all.resultAt(i);
        heads.put(names.get(i), head == null ? 0L : head.toLong());
      }
      return heads;
    });
  }

  /** A log entry as the scripts return it: {@code ["0-<seq>", [field, value, ...]]}. */
  private static StoredMessage entry(String stream, Response e) {
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
    return new StoredMessage(stream, seq, id, from, body, ts);
  }
}
