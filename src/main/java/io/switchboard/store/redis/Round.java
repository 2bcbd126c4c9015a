package io.switchboard.store.redis;

import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The commands a {@link Pipeline} lane wrote together on one connection, and what it knows of their replies. */
final class Round {
  final Redis client;
  final RedisConnection conn;
  final List<Call> calls;
  final AtomicInteger pending;
  volatile boolean broken;
  /** A call met NOSCRIPT: once every call has answered, the round decides which to re-send. */
  volatile boolean noScript;
  volatile long watchdog;

  Round(Redis client, RedisConnection conn, List<Call> calls) {
    this.client = client;
    this.conn = conn;
    this.calls = calls;
    this.pending = new AtomicInteger(calls.size());
  }
}
