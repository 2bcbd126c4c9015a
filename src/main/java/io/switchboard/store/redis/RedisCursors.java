package io.switchboard.store.redis;

import io.switchboard.store.Position;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cursors per (user, device, stream): one hash per device ({@link Keys#cursors}) and a sorted set of
 * the user's devices by order of last ack ({@link Keys#devices}), under the user's hash tag.
 *
 * <p>Device names come from clients, so a user keeps the {@link #MAX_DEVICES_PER_USER} devices that
 * acked most recently (as the in-memory store does); an older one starts over at the heads. Cursors
 * do not expire: a device away for longer than the retention age must still be told what it lost.
 */
final class RedisCursors {

  static final int MAX_DEVICES_PER_USER = 32;

  private static final LuaScript SAVE = LuaScript.load("cursor.lua");

  private final Pipeline pipeline;

  RedisCursors(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  Future<Map<String, Position>> cursors(String user, String device, Collection<String> streams) {
    if (streams.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> names = List.copyOf(streams);
    Request hmget = Request.cmd(Command.HMGET).arg(Keys.cursors(user, device));
    names.forEach(hmget::arg);
    return pipeline.send(tag(user), hmget, pipeline.deadline()).map(reply -> {
      Map<String, Position> out = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        Response cursor = reply.get(i);
        if (cursor != null) {
          out.put(names.get(i), position(cursor.toString()));
        }
      }
      return out;
    });
  }

  /**
   * One script moves the cursor forward (by epoch, then seq) and records the ack's order among the
   * user's devices, dropping the devices beyond the cap; their cursor hashes are then deleted here
   * (the script only touches the keys it is given).
   */
  Future<Void> save(String user, String device, String stream, Position position) {
    long deadline = pipeline.deadline();
    List<String> keys = List.of(Keys.devices(user), Keys.cursors(user, device));
    List<String> args = List.of(device, stream, String.valueOf(position.seq()), String.valueOf(position.epoch()),
        String.valueOf(MAX_DEVICES_PER_USER));
    return SAVE.run(pipeline, tag(user), deadline, keys, args).compose(dropped -> {
      if (dropped == null || dropped.size() == 0) {
        return Future.succeededFuture();
      }
      List<String> stale = new ArrayList<>();
      for (Response d : dropped) {
        stale.add(Keys.cursors(user, d.toString()));
      }
      Request del = Request.cmd(Command.DEL);
      stale.forEach(del::arg);
      return pipeline.send(tag(user), del, deadline).mapEmpty();
    });
  }

  Future<List<String>> devices(String user) {
    Request range = Request.cmd(Command.ZRANGE).arg(Keys.devices(user)).arg(0).arg(-1);
    return pipeline.send(tag(user), range, pipeline.deadline()).map(reply -> {
      List<String> out = new ArrayList<>();
      reply.forEach(d -> out.add(d.toString()));
      return out;
    });
  }

  /** {@code <seq>:<epoch>}; a cursor written before epochs existed is a bare seq of no known epoch. */
  private static Position position(String cursor) {
    int sep = cursor.indexOf(':');
    return sep < 0 ? new Position(Long.parseLong(cursor), 0)
        : new Position(Long.parseLong(cursor.substring(0, sep)), Long.parseLong(cursor.substring(sep + 1)));
  }

  private static String tag(String user) {
    return "user:" + user;
  }
}
