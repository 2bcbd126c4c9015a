package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.auth.ConnectInfo;
import io.switchboard.backend.BackendUnavailableException;
import io.switchboard.metrics.GatewayMetrics.Handshake;
import io.switchboard.presence.RoomPresence;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
import io.switchboard.store.Position;
import io.switchboard.util.OnContext;
import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * hello → welcome → replay → resumed, per DESIGN.md. Streams are attached to their feeds before
 * heads are read, so a message appended at any moment is either below the head read (replayed) or
 * above it (delivered live): none falls between. The session opens (and handles what the client
 * pipelined after hello) only once every stream's start is set.
 */
final class HelloHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HelloHandler.class);

  private HelloHandler() {
  }

  static void handle(Session s, ClientFrame.Hello hello) {
    Services sv = s.services();
    ConnectInfo info = s.connectInfo != null ? s.connectInfo : ConnectInfo.NONE;
    s.connectInfo = null;
    back(s, sv.auth().authenticate(hello.token(), hello.device(), hello.client(), info)).onComplete(ar -> {
      if (s.isClosed()) {
        return;
      }
      if (ar.failed()) {
        refused(s, ar.cause());
        return;
      }
      s.device = hello.device();
      s.authenticated(ar.result());
      establish(s, hello).onFailure(e -> {
        if (!s.isClosed()) {
          LOG.warn("hello of " + s.user() + " failed: " + e.getMessage());
          sv.metrics().handshake(Handshake.FAILED);
          s.close(CloseCode.TRY_AGAIN_LATER, "service unavailable, try again later");
        }
      });
    });
  }

  /** 4401 (new credentials may help), 4403 (the backend refused for good), or 1013 (no decision was made). */
  private static void refused(Session s, Throwable cause) {
    Services sv = s.services();
    if (cause instanceof BackendUnavailableException) {
      sv.metrics().handshake(Handshake.FAILED);
      s.close(CloseCode.TRY_AGAIN_LATER, "authentication unavailable, try again later");
      return;
    }
    sv.metrics().handshake(Handshake.UNAUTHORIZED);
    AuthException refusal = AuthException.of(cause);
    s.close(refusal.closeCode(), refusal.getMessage());
  }

  private static Future<Void> establish(Session s, ClientFrame.Hello hello) {
    Services sv = s.services();
    Claims claims = s.claims;
    return back(s, sv.store().rooms(claims.user())).compose(memberships -> {
      // a room joined with an earlier token that no longer allows it is not followed (item of trust:
      // membership outlives tokens, the right to read a room does not)
      Set<String> rooms = new TreeSet<>();
      Map<String, Position> joinedAt = new HashMap<>();
      memberships.forEach((room, m) -> {
        if (s.rooms.mayFollow(room, m.granted())) {
          rooms.add(room);
          s.rooms.following(room, m.granted());
          if (m.joinedAt() != null) {
            joinedAt.put(StreamName.room(room), m.joinedAt());
          }
        }
      });
      List<String> streams = new ArrayList<>();
      streams.add(StreamName.user(claims.user()));
      streams.add(StreamName.ALL);
      rooms.forEach(r -> streams.add(StreamName.room(r)));
      List<Future<SessionStream>> attached = new ArrayList<>();
      streams.forEach(stream -> attached.add(s.subscribe(stream)));
      // Chains that run side by side, so a hello costs the longest rather than their sum. Heads are
      // read only once every consumer is registered (what is appended after the read reaches the
      // consumer, what came before is below the head). Where the cluster routes user streams by
      // presence, the user stream is reachable from other nodes once presence counts the session:
      // the heads wait for that too. The device's cursors depend on nothing. Presence: counting
      // the session needs only its rooms, and the welcome's online lists are as they are after it,
      // so that they hold the user: told by the count itself where it can, else read after it.
      Future<Map<String, RoomPresence>> listed = open(s, rooms);
      Future<Void> counted = listed.mapEmpty();
      Future<?> registered = Future.all(attached);
      if (sv.bus().routesUsersByPresence()) {
        registered = Future.all(registered, counted);
        // another node may route by an answer it looked up just before the count
        // (cluster.RecentRoutes): the user stream's head is read again once that answer is too old
        counted.onSuccess(v -> s.manager.feeds().checkSoon(StreamName.user(claims.user())));
      }
      Future<Map<String, Position>> cursors = cursors(s, streams);
      Future<Positions> positions = back(s, registered)
          .compose(v -> back(s, sv.store().heads(streams)))
          .compose(heads -> cursors.map(c -> new Positions(streams, heads, c, joinedAt)));
      Future<Map<String, RoomPresence>> online = listed.compose(read ->
          read != null ? Future.succeededFuture(welcomed(rooms, read)) : online(s, rooms));
      return Future.all(positions, online).compose(both -> welcome(s, positions.result(), online.result())
          .map(positions.result()));
    }).map(p -> {
      if (!s.isClosed()) {
        sv.metrics().handshake(Handshake.WELCOMED);
        replay(s, hello, p);
        s.opened();
      }
      return null;
    });
  }

  private static Future<Map<String, Position>> cursors(Session s, List<String> streams) {
    if (s.device == null) {
      return Future.succeededFuture(Map.of());
    }
    return back(s, s.services().store().cursors(s.user(), s.device, streams));
  }

  /**
   * Counts the session for presence; its rooms hear about it if the user just came online. Answers
   * the rooms' online lists when the count told them ({@code PresenceService.openedListing}), else
   * null.
   */
  private static Future<Map<String, RoomPresence>> open(Session s, Set<String> rooms) {
    if (s.isClosed()) {
      return Future.failedFuture("closed during hello");
    }
    return back(s, s.services().presence().openedListing(s.id, s.user(), rooms)).compose(listed -> {
      if (s.isClosed()) {
        // closed while being counted: clean-up ran without knowing, so undo it here
        s.services().presence().closed(s.id, s.user(), rooms);
        return Future.failedFuture("closed during hello");
      }
      s.presenceCounted();
      return Future.succeededFuture(listed);
    });
  }

  /** The online members of each room, as the welcome lists them: read after the count, so they hold the user. */
  private static Future<Map<String, RoomPresence>> online(Session s, Set<String> rooms) {
    return back(s, s.services().presence().rooms(rooms)).map(read -> welcomed(rooms, read));
  }

  /** Every room of the welcome, with what was read of it (nothing: none online that could be told). */
  private static Map<String, RoomPresence> welcomed(Set<String> rooms, Map<String, RoomPresence> read) {
    Map<String, RoomPresence> out = new HashMap<>();
    rooms.forEach(room -> out.put(room, read.getOrDefault(room, RoomPresence.EMPTY)));
    return out;
  }

  private static Future<Void> welcome(Session s, Positions p, Map<String, RoomPresence> online) {
    if (s.isClosed()) {
      return Future.failedFuture("closed during hello");
    }
    Services sv = s.services();
    JsonObject streams = new JsonObject();
    for (String stream : p.streams) {
      Position head = p.heads.getOrDefault(stream, Position.NONE);
      JsonObject info = new JsonObject().put("head", head.seq()).put("epoch", Position.wireEpoch(head.epoch()));
      if (StreamName.kindOf(stream) == StreamName.Kind.ROOM) {
        RoomPresence rp = online.get(StreamName.idOf(stream));
        info.put("online", new JsonArray(new ArrayList<>(rp.users()))).put("onlineCount", rp.count());
      }
      streams.put(stream, info);
    }
    s.write(ServerFrames.welcome(s.user(), s.id, sv.options().getNodeName(),
        sv.options().getProtocol().getHeartbeatMs(), streams), FrameType.WELCOME);
    return Future.succeededFuture();
  }

  /** Start of each stream: the client's resume position, else the device cursor, else the head. */
  private static void replay(Session s, ClientFrame.Hello hello, Positions p) {
    for (String stream : p.streams) {
      SessionStream ss = s.streams.get(stream);
      if (ss == null) {
        continue;
      }
      Position head = p.heads.getOrDefault(stream, Position.NONE);
      Position cursor = p.cursors.get(stream);
      if (cursor != null) {
        ss.cursorLoaded(cursor);
      }
      ClientFrame.Resume resume = hello.resume() != null ? hello.resume().get(stream) : null;
      Position joinedAt = p.joinedAt.get(stream);
      Start start;
      if (resume != null) {
        start = Start.of(resume, head);
      } else if (cursor != null) {
        start = Start.of(cursor, head);
      } else if (joinedAt != null && !p.cursors.isEmpty()) {
        // a device that has been here before (it has cursors) but not since its user joined this
        // room, on another device or through the API: the room is its user's since the join
        start = Start.sinceJoin(joinedAt, head);
      } else {
        start = Start.atHead(head);
      }
      ss.startAfterHead(head, start.from, start.reset);
    }
  }

  /**
   * Where a stream starts for this session, in the stream's current epoch.
   *
   * @param reset the client's position is in another history: it is told {@code reset} and gets
   *              the current one from seq 1
   */
  record Start(long from, boolean reset) {

    /** A new device: what arrives from now on. */
    static Start atHead(Position head) {
      return new Start(head.seq() + 1, false);
    }

    /**
     * What came after the membership began; all of the current history if that was in an earlier
     * one. The device held nothing of the room, so there is nothing to reset.
     */
    static Start sinceJoin(Position joinedAt, Position head) {
      return joinedAt.epoch() == head.epoch() && joinedAt.seq() <= head.seq() ? new Start(joinedAt.seq() + 1, false)
          : new Start(1, false);
    }

    static Start of(ClientFrame.Resume resume, Position head) {
      if (resume.epoch() == null) {
        return inCurrentEpoch(resume.seq(), head);
      }
      long epoch = Position.parseEpoch(resume.epoch());
      return epoch == 0 ? inCurrentEpoch(resume.seq(), head) : of(new Position(resume.seq(), epoch), head);
    }

    static Start of(Position at, Position head) {
      if (at.epoch() == 0) {
        return inCurrentEpoch(at.seq(), head);
      }
      return at.epoch() == head.epoch() ? inCurrentEpoch(at.seq(), head) : new Start(1, true);
    }

    /**
     * A position taken to be in the current epoch (it says so, or it names none: a bare seq, or a
     * position from before the stream had a history). Above the head it cannot be in it: the stream
     * must have started over under it.
     */
    private static Start inCurrentEpoch(long seq, Position head) {
      return seq > head.seq() ? new Start(1, true) : new Start(seq + 1, false);
    }
  }

  private static <T> Future<T> back(Session s, Future<T> f) {
    return OnContext.back(s.manager.context(), f);
  }

  /** @param joinedAt where the user's memberships of the followed rooms began (rooms joined before it was kept have none) */
  private record Positions(List<String> streams, Map<String, Position> heads, Map<String, Position> cursors,
                           Map<String, Position> joinedAt) {
  }
}
