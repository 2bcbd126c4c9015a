package io.switchboard.store.memory;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.AppendRequest;
import io.switchboard.store.AppendResult;
import io.switchboard.store.Membership;
import io.switchboard.store.Position;
import io.switchboard.store.ReadResult;
import io.switchboard.store.Store;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The embedded store for one node: everything lives in this JVM's heap and is gone when it stops.
 * Every call completes before it returns, so callers stay on their own thread.
 */
public final class InMemoryStore implements Store {

  private final InMemoryLog log;
  private final InMemoryCursors cursors = new InMemoryCursors();
  private final InMemoryMembership membership = new InMemoryMembership();
  private final InMemoryBeats beats = new InMemoryBeats();

  public InMemoryStore(StoreOptions options) {
    this(options, Clock.systemUTC());
  }

  public InMemoryStore(StoreOptions options, Clock clock) {
    this.log = new InMemoryLog(options, clock);
  }

  @Override
  public Future<AppendResult> append(AppendRequest request) {
    return Future.succeededFuture(log.append(request));
  }

  @Override
  public Future<ReadResult> read(String stream, long fromSeq, int limit) {
    return Future.succeededFuture(log.read(stream, fromSeq, limit));
  }

  @Override
  public Future<Map<String, Position>> heads(Collection<String> streams) {
    return Future.succeededFuture(log.heads(streams));
  }

  @Override
  public Future<Map<String, Position>> cursors(String user, String device, Collection<String> streams) {
    return Future.succeededFuture(cursors.cursors(user, device, streams));
  }

  @Override
  public Future<Void> saveCursor(String user, String device, String stream, Position position) {
    cursors.save(user, device, stream, position);
    return Future.succeededFuture();
  }
  @Override
  public Future<List<String>> devices(String user) {
    return Future.succeededFuture(cursors.devices(user));
  }


  @Override
  public Future<Boolean> join(String room, String user, boolean granted, Position joinedAt) {
    return Future.succeededFuture(membership.join(room, user, granted, joinedAt));
  }

  @Override
  public Future<Boolean> leave(String room, String user) {
    return Future.succeededFuture(membership.leave(room, user));
  }

  @Override
  public Future<Map<String, Membership>> rooms(String user) {
    return Future.succeededFuture(membership.rooms(user));
  }

  @Override
  public Future<Set<String>> members(String room) {
    return Future.succeededFuture(membership.members(room));
  }

  @Override
  public Future<Void> beat(String nodeId, long ttlMs) {
    beats.beat(nodeId, ttlMs);
    return Future.succeededFuture();
  }

  @Override
  public Future<Set<String>> alive() {
    return Future.succeededFuture(beats.alive());
  }

  @Override
  public Future<Void> forget(String nodeId) {
    beats.forget(nodeId);
    return Future.succeededFuture();
  }

  /** Heap the store estimates it holds, counted against store.memoryMaxBytes. */
  public long bytes() {
    return log.bytes();
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
