package io.switchboard.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times every call of the store it wraps ({@value #LATENCY}, tag {@code op}; failed calls too, tag
 * {@code outcome}), so Redis latency can be watched where the gateway feels it: time to the answer,
 * pipeline queueing and the call timeout included.
 */
public final class TimedStore implements Store {

  public static final String LATENCY = "switchboard.store.latency";

  private final Store store;
  private final MeterRegistry registry;
  private final Map<String, Timer[]> timers = new ConcurrentHashMap<>();

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
  public Future<Map<String, Long>> heads(Collection<String> streams) {
    return timed("heads", () -> store.heads(streams));
  }

  @Override
  public Future<Map<String, Long>> cursors(String user, String device, Collection<String> streams) {
    return timed("cursors", () -> store.cursors(user, device, streams));
  }

  @Override
  public Future<Void> saveCursor(String user, String device, String stream, long seq) {
    return timed("save_cursor", () -> store.saveCursor(user, device, stream, seq));
  }

  @Override
  public Future<Void> resetCursor(String user, String device, String stream, long seq) {
    return timed("reset_cursor", () -> store.resetCursor(user, device, stream, seq));
  }

  @Override
  public Future<Boolean> join(String room, String user) {
    return timed("join", () -> store.join(room, user));
  }

  @Override
  public Future<Boolean> leave(String room, String user) {
    return timed("leave", () -> store.leave(room, user));
  }

  @Override
  public Future<Set<String>> rooms(String user) {
    return timed("rooms", () -> store.rooms(user));
  }

  @Override
  public Future<Set<String>> members(String room) {
    return timed("members", () -> store.members(room));
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
    result.onComplete(ar -> timer(op, ar.succeeded()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
    return result;
  }

  private Timer timer(String op, boolean succeeded) {
    Timer[] pair = timers.computeIfAbsent(op, o -> new Timer[] {register(o, "success"), register(o, "failure")});
    return pair[succeeded ? 0 : 1];
  }

  private Timer register(String op, String outcome) {
    return Timer.builder(LATENCY).tag("op", op).tag("outcome", outcome)
        .description("Store calls, from the call to its answer (or failure)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }
}
