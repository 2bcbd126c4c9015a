package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Room membership in both directions: the room's members ({@link Keys#membersOf}, room tag) and the
 * user's rooms ({@link Keys#roomsOf}, user tag). In a cluster the two sets live in different slots,
 * so they are two commands, sent together. If one of them fails the call fails and the two sets may
 * disagree until the caller retries (both commands are idempotent, so a retry repairs them). Rooms
 * the HTTP API granted are also in {@link Keys#grantedOf}, under the user's tag.
 */
final class RedisMembership {

  private final Pipeline pipeline;

  RedisMembership(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** @return whether the room's member set changed */
  Future<Boolean> join(String room, String user, boolean granted) {
    long deadline = pipeline.deadline();
    Future<Boolean> changed = update(Command.SADD, room, user, deadline);
    if (!granted) {
      return changed;
    }
    Future<Response> grant = pipeline.send("user:" + user, Request.cmd(Command.SADD).arg(Keys.grantedOf(user)).arg(room), deadline);
    return Future.all(changed, grant).map(both -> changed.result());
  }

  /** @return whether the room's member set changed */
  Future<Boolean> leave(String room, String user) {
    long deadline = pipeline.deadline();
    Future<Boolean> changed = update(Command.SREM, room, user, deadline);
    Future<Response> ungrant = pipeline.send("user:" + user, Request.cmd(Command.SREM).arg(Keys.grantedOf(user)).arg(room), deadline);
    return Future.all(changed, ungrant).map(both -> changed.result());
  }

  /** Both sets share the user's lane, so they are read one right after the other on one connection. */
  Future<Map<String, Boolean>> rooms(String user) {
    long deadline = pipeline.deadline();
    Future<Set<String>> rooms = members(pipeline.send("user:" + user, Request.cmd(Command.SMEMBERS).arg(Keys.roomsOf(user)), deadline));
    Future<Set<String>> granted = members(pipeline.send("user:" + user, Request.cmd(Command.SMEMBERS).arg(Keys.grantedOf(user)), deadline));
    return Future.all(rooms, granted).map(both -> {
      Map<String, Boolean> out = new HashMap<>();
      rooms.result().forEach(r -> out.put(r, granted.result().contains(r)));
      return out;
    });
  }

  Future<Set<String>> members(String room) {
    return members(pipeline.send("room:" + room, Request.cmd(Command.SMEMBERS).arg(Keys.membersOf(room)), pipeline.deadline()));
  }

  private Future<Boolean> update(Command command, String room, String user, long deadline) {
    Future<Response> members = pipeline.send("room:" + room, Request.cmd(command).arg(Keys.membersOf(room)).arg(user), deadline);
    Future<Response> rooms = pipeline.send("user:" + user, Request.cmd(command).arg(Keys.roomsOf(user)).arg(room), deadline);
    return Future.all(members, rooms).map(both -> members.result().toLong() == 1);
  }

  private static Future<Set<String>> members(Future<Response> smembers) {
    return smembers.map(reply -> {
      Set<String> out = new HashSet<>();
      if (reply != null) {
        for (Response r : reply) {
          out.add(r.toString());
        }
      }
      return Set.copyOf(out);
    });
  }
}
