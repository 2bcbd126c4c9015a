package io.switchboard.store.redis;

import io.switchboard.store.Membership;
import io.switchboard.store.MembershipStore;
import io.switchboard.store.Position;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Room membership in both directions: the room's members ({@link Keys#membersOf}, room tag) and the
 * user's rooms ({@link Keys#roomsOf}, user tag). In a cluster the two sets live in different slots,
 * so they are two commands, sent together. If one of them fails the call fails and the two sets may
 * disagree until the caller retries (both commands are idempotent, so a retry repairs them). Rooms
 * the HTTP API granted are also in {@link Keys#grantedOf}, and where each membership began in
 * {@link Keys#joinedOf}, under the user's tag. The room's side is a script, so that a change the
 * webhooks want is noted in the room slot's outbox in the same step (see {@link Keys#outbox}).
 */
final class RedisMembership {

  private static final LuaScript ROOM_SIDE = LuaScript.load("membership.lua");

  private final Pipeline pipeline;
  private final Clock clock;
  private final boolean cluster;

  RedisMembership(Pipeline pipeline, Clock clock, boolean cluster) {
    this.pipeline = pipeline;
    this.clock = clock;
    this.cluster = cluster;
  }

  /** @param outbox note a new membership for the webhooks, with the room's side of it (one script) */
  Future<MembershipStore.Change> join(String room, String user, boolean granted, Position joinedAt, boolean outbox) {
    long deadline = pipeline.deadline();
    Future<MembershipStore.Change> changed = update(Command.SADD, room, user, outbox, deadline);
    // HSETNX: an existing membership keeps the position it began at
    Future<Response> since = pipeline.send("user:" + user, Request.cmd(Command.HSETNX).arg(Keys.joinedOf(user)).arg(room)
        .arg(joinedAt.seq() + ":" + joinedAt.epoch()), deadline);
    if (!granted) {
      return Future.all(changed, since).map(both -> changed.result());
    }
    Future<Response> grant = pipeline.send("user:" + user, Request.cmd(Command.SADD).arg(Keys.grantedOf(user)).arg(room), deadline);
    return Future.all(changed, since, grant).map(all -> changed.result());
  }

  Future<MembershipStore.Change> leave(String room, String user, boolean outbox) {
    long deadline = pipeline.deadline();
    Future<MembershipStore.Change> changed = update(Command.SREM, room, user, outbox, deadline);
    Future<Response> ungrant = pipeline.send("user:" + user, Request.cmd(Command.SREM).arg(Keys.grantedOf(user)).arg(room), deadline);
    Future<Response> since = pipeline.send("user:" + user, Request.cmd(Command.HDEL).arg(Keys.joinedOf(user)).arg(room), deadline);
    return Future.all(changed, ungrant, since).map(all -> changed.result());
  }

  /** The user's keys share the user's lane, so they are read one right after the other on one connection. */
  Future<Map<String, Membership>> rooms(String user) {
    long deadline = pipeline.deadline();
    Future<Set<String>> rooms = members(pipeline.send("user:" + user, Request.cmd(Command.SMEMBERS).arg(Keys.roomsOf(user)), deadline));
    Future<Set<String>> granted = members(pipeline.send("user:" + user, Request.cmd(Command.SMEMBERS).arg(Keys.grantedOf(user)), deadline));
    Future<Response> since = pipeline.send("user:" + user, Request.cmd(Command.HGETALL).arg(Keys.joinedOf(user)), deadline);
    return Future.all(rooms, granted, since).map(all -> {
      Map<String, Position> joinedAt = new HashMap<>();
      Response pairs = since.result();
      if (pairs != null) {
        for (String room : pairs.getKeys()) {
          String at = pairs.get(room).toString();
          int sep = at.indexOf(':');
          joinedAt.put(room, new Position(Long.parseLong(at.substring(0, sep)), Long.parseLong(at.substring(sep + 1))));
        }
      }
      Map<String, Membership> out = new HashMap<>();
      // a membership from before join positions were kept has none: its devices start at the head
      rooms.result().forEach(r -> out.put(r, new Membership(granted.result().contains(r), joinedAt.get(r))));
      return out;
    });
  }

  Future<Set<String>> members(String room) {
    return members(pipeline.send("room:" + room, Request.cmd(Command.SMEMBERS).arg(Keys.membersOf(room)), pipeline.deadline()));
  }

  private Future<MembershipStore.Change> update(Command command, String room, String user, boolean outbox, long deadline) {
    String stream = "room:" + room;
    Future<Response> members = ROOM_SIDE.run(pipeline, stream, deadline, List.of(Keys.membersOf(room), Keys.outbox(stream, cluster)),
        List.of(command == Command.SADD ? "SADD" : "SREM", user, room, String.valueOf(clock.millis()), outbox ? "1" : "0"));
    Future<Response> rooms = pipeline.send("user:" + user, Request.cmd(command).arg(Keys.roomsOf(user)).arg(room), deadline);
    return Future.all(members, rooms).map(both -> {
      Response reply = members.result();
      Response noted = reply.size() > 1 ? reply.get(1) : null;
      return new MembershipStore.Change(reply.get(0).toLong() == 1, noted == null ? null : noted.toString());
    });
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
