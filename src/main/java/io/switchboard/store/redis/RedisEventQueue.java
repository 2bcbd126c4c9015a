package io.switchboard.store.redis;

import io.switchboard.webhooks.EventQueue;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * The webhook queue in Redis, shared by every node: a Redis Stream read through a consumer group,
 * so that an entry a node took and never acknowledged (it died) stays pending and the next node to
 * deliver claims it (XAUTOCLAIM). Every operation is one script call ({@code webhooks.lua}) on the
 * queue's hash tag: moving the oldest entries to the dead letters when the queue is full, or dead
 * letters back, is atomic. It runs on the store's connections and deadlines.
 */
public final class RedisEventQueue implements EventQueue {

  private static final LuaScript SCRIPT = LuaScript.load("webhooks.lua");
  private static final List<String> KEYS = List.of(Keys.webhookQueue(), Keys.webhookDeadLetters(), Keys.webhookLease());

  private final Pipeline pipeline;
  private final String cap;
  private final String deadLetterCap;

  RedisEventQueue(Pipeline pipeline, int cap, int deadLetterCap) {
    this.pipeline = pipeline;
    this.cap = String.valueOf(cap);
    this.deadLetterCap = String.valueOf(deadLetterCap);
  }

  @Override
  public Future<Integer> add(List<String> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return run(args("add", List.of(cap, deadLetterCap), events)).map(Response::toInteger);
  }

  @Override
  public Future<Boolean> lead(String consumer, long leaseMs) {
    return run(List.of("lead", consumer, String.valueOf(leaseMs))).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<Void> resign(String consumer) {
    return run(List.of("resign", consumer)).mapEmpty();
  }

  @Override
  public Future<List<Entry>> take(String consumer, String after, int max) {
    return run(List.of("take", consumer, after, String.valueOf(max))).map(r -> {
      List<Entry> out = new ArrayList<>();
      for (int i = 0; i + 1 < r.size(); i += 2) {
        out.add(new Entry(r.get(i).toString(), r.get(i + 1).toString()));
      }
      return out;
    });
  }

  @Override
  public Future<Void> ack(List<String> ids) {
    return ids.isEmpty() ? Future.succeededFuture() : run(args("ack", List.of(), ids)).mapEmpty();
  }

  @Override
  public Future<Void> deadLetter(List<Entry> entries, String reason) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> pairs = new ArrayList<>();
    entries.forEach(e -> {
      pairs.add(e.id());
      pairs.add(e.event());
    });
    return run(args("dead", List.of(reason, deadLetterCap), pairs)).mapEmpty();
  }

  @Override
  public Future<Page> deadLetters(String after, int limit) {
    return run(List.of("page", after == null ? "" : after, String.valueOf(limit))).map(r -> {
      List<DeadLetter> out = new ArrayList<>();
      for (int i = 0; i + 3 < r.size(); i += 4) {
        out.add(new DeadLetter(r.get(i).toString(), r.get(i + 1).toString(), r.get(i + 2).toString(),
            Long.parseLong(r.get(i + 3).toString())));
      }
      if (out.size() > limit) {
        out.remove(out.size() - 1);
        return new Page(out, out.get(out.size() - 1).id());
      }
      return new Page(out, null);
    });
  }

  @Override
  public Future<Integer> replay(List<String> ids) {
    return ids.isEmpty() ? Future.succeededFuture(0)
        : run(args("replay", List.of(cap, deadLetterCap), ids)).map(Response::toInteger);
  }

  @Override
  public Future<Sizes> sizes() {
    return run(List.of("sizes")).map(r -> new Sizes(r.get(0).toLong(), r.get(1).toLong()));
  }

  private Future<Response> run(List<String> args) {
    return SCRIPT.run(pipeline, Keys.WEBHOOKS_TAG, pipeline.deadline(), KEYS, args)
        .recover(e -> Future.failedFuture(RedisStoreException.of(e)));
  }

  private static List<String> args(String op, List<String> fixed, List<String> rest) {
    List<String> out = new ArrayList<>(1 + fixed.size() + rest.size());
    out.add(op);
    out.addAll(fixed);
    out.addAll(rest);
    return out;
  }
}
