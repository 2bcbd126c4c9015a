package io.switchboard.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.metrics.Buckets;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times every call of the store it wraps ({@value #LATENCY}, tag {@code op}), so Redis latency can be
 * watched where the gateway feels it: pipeline queueing included, and a failed call counts with the
 * time it took to fail (a timeout shows as {@code redis.timeoutMs}).
 */
public final class TimedStore implements Store {

  public static final String LATENCY = "switchboard.store.latency";

  private final Store store;
  private final MeterRegistry registry;
  /** Fixed buckets, enough for a p99 from 0.25 ms to the default 2 s timeout, at 15 series per op. */
  private static final Duration[] BUCKETS = Buckets.millis(0.25, 0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000);

  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  public TimedStore(Store store, MeterRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  /** The store being timed. */
  public Store unwrap() {
    return store;
  }

  @Override
  public Future<AppendResult> append(AppendRequest request) {
    return timed("append", () -> store.append(request));
  }

  @Override
  public Future<ReadResult> read(String stream, long fromSeq, int limit) {
    return timed("read", () -> store.read(stream, fromSeq, limit));
  }

  @Override
  public Future<Map<String, Position>> heads(Collection<String> streams) {
    return timed("heads", () -> store.heads(streams));
  }

  @Override
  public Future<Map<String, Position>> cursors(String user, String device, Collection<String> streams) {
    return timed("cursors", () -> store.cursors(user, device, streams));
  }

  @Override
  public Future<Void> saveCursor(String user, String device, String stream, Position position) {
    return timed("save_cursor", () -> store.saveCursor(user, device, stream, position));
  }
  @Override
  public Future<List<String>> devices(String user) {
    return timed("devices", () -> store.devices(user));
  }


  @Override
  public Future<Boolean> join(String room, String user, boolean granted, Position joinedAt) {
    return timed("join", () -> store.join(room, user, granted, joinedAt));
  }

  @Override
  public Future<Boolean> leave(String room, String user) {
    return timed("leave", () -> store.leave(room, user));
  }

  @Override
  public Future<Change> join(String room, String user, boolean granted, Position joinedAt, boolean outbox) {
    return timed("join", () -> store.join(room, user, granted, joinedAt, outbox));
  }

  @Override
  public Future<Change> leave(String room, String user, boolean outbox) {
    return timed("leave", () -> store.leave(room, user, outbox));
  }

  @Override
  public Future<Map<String, Membership>> rooms(String user) {
    return timed("rooms", () -> store.rooms(user));
  }

  @Override
  public Future<Set<String>> members(String room) {
    return timed("members", () -> store.members(room));
  }

  @Override
  public Future<Void> beat(String nodeId, long ttlMs) {
    return timed("beat", () -> store.beat(nodeId, ttlMs));
  }

  @Override
  public Future<Set<String>> alive() {
    return timed("alive", store::alive);
  }

  @Override
  public Future<Void> forget(String nodeId) {
    return timed("forget", () -> store.forget(nodeId));
  }

  @Override
  public Future<Void> ping() {
    return timed("ping", store::ping);
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }

  private <T> Future<T> timed(String op, Supplier<Future<T>> call) {
    long start = System.nanoTime();
    Future<T> result = call.get();
    result.onComplete(ar -> timers.computeIfAbsent(op, this::register).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    return result;
  }

  private Timer register(String op) {
    return Timer.builder(LATENCY).tag("op", op)
        .description("Store calls, from the call to its answer or failure")
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }
}
