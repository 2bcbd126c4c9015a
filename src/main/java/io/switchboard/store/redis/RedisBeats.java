package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Node liveness beats in one sorted set ({@link Keys#beats}), scored by expiry time in Redis' clock.
 * Every node of the cluster reads the same key, so all of them see the same nodes alive.
 */
final class RedisBeats {

  private static final LuaScript BEATS = LuaScript.load("beats.lua");

  private final Pipeline pipeline;

  RedisBeats(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  Future<Void> beat(String nodeId, long ttlMs) {
    return run("beat", nodeId, ttlMs).mapEmpty();
  }

  Future<Set<String>> alive() {
    return run("alive", "", 0).map(reply -> {
      Set<String> out = new HashSet<>();
      if (reply != null) {
        for (Response r : reply) {
          out.add(r.toString());
        }
      }
      return Set.copyOf(out);
    });
  }

  Future<Void> forget(String nodeId) {
    return run("forget", nodeId, 0).mapEmpty();
  }

  private Future<Response> run(String op, String nodeId, long ttlMs) {
    return BEATS.run(pipeline, Keys.BEATS_TAG, pipeline.deadline(), List.of(Keys.beats()),
        List.of(op, nodeId, String.valueOf(ttlMs)));
  }
}
