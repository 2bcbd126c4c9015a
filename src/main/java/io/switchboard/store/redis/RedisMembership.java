package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.HashSet;
import java.util.Set;

/**
 * Room membership in both directions: the room's members ({@link Keys#membersOf}, room tag) and the
 * user's rooms ({@link Keys#roomsOf}, user tag). In a cluster the two sets live in different slots,
 * so they are two commands, sent together. If one of them fails the call fails and the two sets may
 * disagree until the caller retries (both commands are idempotent, so a retry repairs them).
 */
final class RedisMembership {

  private final Pipeline pipeline;

  RedisMembership(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  /** @return whether the room's member set changed */
  Future<Boolean> join(String room, String user) {
    return update(Command.SADD, room, user);
  }

  /** @return whether the room's member set changed */
  Future<Boolean> leave(String room, String user) {
    return update(Command.SREM, room, user);
  }

  Future<Set<String>> rooms(String user) {
    return members(pipeline.send("user:" + user, Request.cmd(Command.SMEMBERS).arg(Keys.roomsOf(user)), pipeline.deadline()));
  }

  Future<Set<String>> members(String room) {
    return members(pipeline.send("room:" + room, Request.cmd(Command.SMEMBERS).arg(Keys.membersOf(room)), pipeline.deadline()));
  }

  private Future<Boolean> update(Command command, String room, String user) {
    long deadline = pipeline.deadline();
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
