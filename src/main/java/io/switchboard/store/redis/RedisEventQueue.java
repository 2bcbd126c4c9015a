package io.switchboard.store.redis;

import io.switchboard.store.StoredMessage;
import io.switchboard.webhooks.EventQueue;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook queue in Redis, shared by every node: a Redis Stream read through a consumer group,
 * so that an entry a node took and never acknowledged (it died) stays pending and the next node to
 * deliver claims it (XAUTOCLAIM). Every operation is one script call ({@code webhooks.lua}) on the
 * queue's hash tag: moving the oldest entries to the dead letters when the queue is full, or dead
 * letters back, is atomic. It runs on the store's connections and deadlines.
 *
 * <p>The outbox ({@link Keys#outbox}): on one server it shares the queue's tag, so queueing events
 * and settling their notes is one script. In a Redis Cluster the notes live in the slots of their
 * streams: they are settled by an XDEL once the events are queued, and looking for unsettled ones
 * reads every slot's outbox ({@value SlotTags#SLOTS} small reads, {@value #SLOTS_AT_ONCE} at a time,
 * at most every {@value #CLUSTER_SEARCH_EVERY_MS} ms).
 */
public final class RedisEventQueue implements EventQueue {

  private static final LuaScript SCRIPT = LuaScript.load("webhooks.lua");
  private static final List<String> KEYS = List.of(Keys.webhookQueue(), Keys.webhookDeadLetters(), Keys.webhookLease(),
      Keys.webhookOutbox());
  static final int SLOTS_AT_ONCE = 256;
  /**
   * A Redis Cluster's outboxes are read at most this often: with {@code webhooks.takeoverMs} at its
   * minimum (300 ms), reading all {@value SlotTags#SLOTS} every time would be 55,000 reads a second.
   */
  static final long CLUSTER_SEARCH_EVERY_MS = 10_000;

  private final Pipeline pipeline;
  private final String cap;
  private final String deadLetterCap;
  private final boolean cluster;
  /** When the last search of a Cluster's outboxes started (System.nanoTime), or 0. */
  private final AtomicLong lastSearch = new AtomicLong();

  RedisEventQueue(Pipeline pipeline, int cap, int deadLetterCap, boolean cluster) {
    this.pipeline = pipeline;
    this.cap = String.valueOf(cap);
    this.deadLetterCap = String.valueOf(deadLetterCap);
    this.cluster = cluster;
  }

  @Override
  public Future<Integer> add(List<String> events, List<Note> settled) {
    if (events.isEmpty() && settled.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<String> fixed = List.of(cap, deadLetterCap, String.valueOf(events.size()));
    if (!cluster) {
      List<String> rest = new ArrayList<>(events);
      settled.forEach(n -> rest.add(n.id()));
      return run(args("add", fixed, rest)).map(Response::toInteger);
    }
    Future<Integer> queued = events.isEmpty() ? Future.succeededFuture(0) : run(args("add", fixed, events)).map(Response::toInteger);
    return queued.compose(buried -> settle(settled).map(buried));
  }

  /** Cluster only: one XDEL per outbox key, sent together. */
  private Future<Void> settle(List<Note> notes) {
    if (notes.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, Request> byKey = new LinkedHashMap<>();
    Map<String, String> laneOf = new LinkedHashMap<>();
    for (Note n : notes) {
      String key = Keys.outbox(n.stream(), true);
      byKey.computeIfAbsent(key, k -> Request.cmd(Command.XDEL).arg(k)).arg(n.id());
      laneOf.putIfAbsent(key, n.stream());
    }
    long deadline = pipeline.deadline();
    List<Future<Response>> dels = new ArrayList<>();
    byKey.forEach((key, del) -> dels.add(pipeline.send(laneOf.get(key), del, deadline)));
    return Future.all(dels).<Void>mapEmpty().recover(e -> Future.failedFuture(RedisStoreException.of(e)));
  }

  @Override
  public Future<List<Note>> unsettled(long olderThanMs, int max) {
    String before = String.valueOf(Math.max(0, System.currentTimeMillis() - olderThanMs));
    if (!cluster) {
      return readOutbox(Keys.webhookOutbox(), Keys.WEBHOOKS_TAG, before, max, pipeline.deadline());
    }
    long now = System.nanoTime();
    long last = lastSearch.get();
    if (last != 0 && now - last < TimeUnit.MILLISECONDS.toNanos(CLUSTER_SEARCH_EVERY_MS) || !lastSearch.compareAndSet(last, now)) {
      return Future.succeededFuture(List.of());
    }
    return unsettledFrom(0, before, max, new ArrayList<>());
  }

  /** Cluster: the outboxes of {@value #SLOTS_AT_ONCE} slots at a time, until {@code max} notes or the last slot. */
  private Future<List<Note>> unsettledFrom(int slot, String before, int max, List<Note> found) {
    if (slot >= SlotTags.SLOTS || found.size() >= max) {
      return Future.succeededFuture(found);
    }
    long deadline = pipeline.deadline();
    List<Future<List<Note>>> reads = new ArrayList<>();
    for (int s = slot; s < Math.min(slot + SLOTS_AT_ONCE, SlotTags.SLOTS); s++) {
      reads.add(readOutbox(Keys.outboxOfSlot(s), SlotTags.tag(s), before, max - found.size(), deadline));
    }
    return Future.all(reads).compose(all -> {
      reads.forEach(r -> found.addAll(r.result()));
      return unsettledFrom(slot + SLOTS_AT_ONCE, before, max, found);
    });
  }

  private Future<List<Note>> readOutbox(String key, String lane, String before, int max, long deadline) {
    Request range = Request.cmd(Command.XRANGE).arg(key).arg("-").arg(before).arg("COUNT").arg(max);
    return pipeline.send(lane, range, deadline).map(entries -> {
      List<Note> notes = new ArrayList<>(entries.size());
      for (Response e : entries) {
        notes.add(note(e.get(0).toString(), e.get(1)));
      }
      return notes;
    }).recover(e -> Future.failedFuture(RedisStoreException.of(e)));
  }

  /**
   * The fields append.lua writes (stream, seq, epoch, message id, sender, time) or membership.lua's
   * (kind, room, user, time).
   */
  private static Note note(String id, Response fields) {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      f.put(fields.get(i).toString(), fields.get(i + 1).toString());
    }
    long at = Long.parseLong(f.get("t"));
    if (f.containsKey("k")) {
      return new Note(id, new MembershipNote("j".equals(f.get("k")), f.get("r"), f.get("u"), at));
    }
    return new Note(id, new StoredMessage(f.get("s"), Long.parseLong(f.get("q")), Long.parseLong(f.get("e")), f.get("i"),
        f.get("f"), null, at));
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
