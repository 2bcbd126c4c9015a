package io.switchboard.store.redis;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.Membership;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The production store: logs, cursors, memberships and idempotency keys in Redis (standalone,
 * Sentinel or Cluster), shared by every node. See docs/architecture.md, "Redis".
 *
 * <p>Every call fails with a {@link RedisStoreException} after {@code redis.timeoutMs} at the latest;
 * futures complete on Vert.x event-loop threads of the Redis connections.
 */
public final class RedisStore implements Store {

  private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

  private final Pipeline pipeline;
  private final RedisLog log;
  private final RedisCursors cursors;
  private final RedisMembership membership;
  private final RedisBeats beats;
  private final boolean cluster;

  public RedisStore(Vertx vertx, StoreOptions options) {
    this(vertx, options, Clock.systemUTC());
  }

  /** @param clock "now" for every time-based rule (retention age, idempotency window, timestamps) */
  public RedisStore(Vertx vertx, StoreOptions options, Clock clock) {
    io.switchboard.config.RedisOptions redis = options.getRedis();
    ClientGenerations clients = new ClientGenerations(vertx, rotation -> RedisClients.create(vertx, redis, rotation),
        redis.getTimeoutMs(), RedisClients.describe(redis));
    this.pipeline = new Pipeline(vertx, clients, redis.getPoolSize(), redis.getTimeoutMs());
    this.log = new RedisLog(pipeline, options, clock);
    this.cursors = new RedisCursors(pipeline);
    this.cluster = redis.getMode() == io.switchboard.config.RedisOptions.Mode.CLUSTER;
    this.membership = new RedisMembership(pipeline, clock, cluster);
    this.beats = new RedisBeats(pipeline);
    LOG.info("Redis store: " + RedisClients.describe(redis) + ", " + redis.getPoolSize() + " connections per server, timeout "
        + redis.getTimeoutMs() + " ms");
  }

  @Override
  public Future<AppendResult> append(AppendRequest request) {
    return redacted(log.append(request));
  }

  @Override
  public Future<ReadResult> read(String stream, long fromSeq, int limit) {
    return redacted(log.read(stream, fromSeq, limit));
  }

  @Override
  public Future<Map<String, Position>> heads(Collection<String> streams) {
    return redacted(log.heads(streams));
  }

  @Override
  public Future<Map<String, Position>> cursors(String user, String device, Collection<String> streams) {
    return redacted(cursors.cursors(user, device, streams));
  }

  @Override
  public Future<Void> saveCursor(String user, String device, String stream, Position position) {
    return redacted(cursors.save(user, device, stream, position));
  }
  @Override
  public Future<List<String>> devices(String user) {
    return redacted(cursors.devices(user));
  }


  @Override
  public Future<Boolean> join(String room, String user, boolean granted, Position joinedAt) {
    return join(room, user, granted, joinedAt, false).map(Change::changed);
  }

  @Override
  public Future<Boolean> leave(String room, String user) {
    return leave(room, user, false).map(Change::changed);
  }

  @Override
  public Future<Change> join(String room, String user, boolean granted, Position joinedAt, boolean outbox) {
    return redacted(membership.join(room, user, granted, joinedAt, outbox));
  }

  @Override
  public Future<Change> leave(String room, String user, boolean outbox) {
    return redacted(membership.leave(room, user, outbox));
  }

  @Override
  public Future<Map<String, Membership>> rooms(String user) {
    return redacted(membership.rooms(user));
  }

  @Override
  public Future<Set<String>> members(String room) {
    return redacted(membership.members(room));
  }

  @Override
  public Future<Void> beat(String nodeId, long ttlMs) {
    return redacted(beats.beat(nodeId, ttlMs));
  }

  @Override
  public Future<Set<String>> alive() {
    return redacted(beats.alive());
  }

  @Override
  public Future<Void> forget(String nodeId) {
    return redacted(beats.forget(nodeId));
  }

  @Override
  public Future<Void> ping() {
    return redacted(pipeline.send(Request.cmd(Command.PING)).mapEmpty());
  }

  @Override
  public Future<Void> close() {
    return pipeline.close();
  }

  /** The webhook queue, on this store's connections. */
  public RedisEventQueue eventQueue(int cap, int deadLetterCap) {
    return new RedisEventQueue(pipeline, cap, deadLetterCap, cluster);
  }

  /** For tests that put their own commands among the store's, on the same lanes. */
  Pipeline pipeline() {
    return pipeline;
  }

  /** One exception type for callers, whose message never carries a password. */
  private static <T> Future<T> redacted(Future<T> future) {
    return future.recover(e -> Future.failedFuture(RedisStoreException.of(e)));
  }
}
