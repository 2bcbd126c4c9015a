package io.switchboard.gateway;

import io.switchboard.auth.AuthException;
import io.switchboard.auth.Claims;
import io.switchboard.metrics.GatewayMetrics.Handshake;
import io.switchboard.presence.RoomPresence;
import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.ServerFrames;
import io.switchboard.protocol.StreamName;
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

/**
 * hello → welcome → replay → resumed, per DESIGN.md. Streams are attached to their feeds before
 * heads are read, so a message appended at any moment is either below the head read (replayed) or
 * above it (delivered live): none falls between.
 */
final class HelloHandler {

  private static final Logger LOG = LoggerFactory.getLogger(HelloHandler.class);

  private HelloHandler() {
  }

  static void handle(Session s, ClientFrame.Hello hello) {
    Services sv = s.services();
    back(s, sv.tokens().verify(hello.token())).onComplete(ar -> {
      if (s.isClosed()) {
        return;
      }
      if (ar.failed()) {
        sv.metrics().handshake(Handshake.UNAUTHORIZED);
        String reason = ar.cause() instanceof AuthException ? ar.cause().getMessage() : "invalid token";
        s.close(CloseCode.UNAUTHORIZED, reason);
        return;
      }
      s.claims = ar.result();
      s.device = hello.device();
      s.manager.authenticated(s);
      establish(s, hello).onFailure(e -> {
        if (!s.isClosed()) {
          LOG.warn("hello of " + s.user() + " failed: " + e.getMessage());
          sv.metrics().handshake(Handshake.FAILED);
          s.close(CloseCode.TRY_AGAIN_LATER, "service unavailable, try again later");
        }
      });
    });
  }

  private static Future<Void> establish(Session s, ClientFrame.Hello hello) {
    Services sv = s.services();
    Claims claims = s.claims;
    return back(s, sv.store().rooms(claims.user())).compose(rooms -> {
      List<String> streams = new ArrayList<>();
      streams.add(StreamName.user(claims.user()));
      streams.add(StreamName.ALL);
      rooms.forEach(r -> streams.add(StreamName.room(r)));
      List<Future<SessionStream>> attached = new ArrayList<>();
      streams.forEach(stream -> attached.add(s.subscribe(stream)));
      return back(s, Future.all(attached))
          .compose(v -> back(s, sv.store().heads(streams)))
          .compose(heads -> cursors(s, streams).map(cursors -> new Positions(streams, heads, cursors)))
          .compose(p -> open(s, rooms).map(p))
          .compose(p -> welcome(s, rooms, p).map(p));
    }).map(p -> {
      if (!s.isClosed()) {
        s.opened();
        sv.metrics().handshake(Handshake.WELCOMED);
        replay(s, hello, p);
      }
      return null;
    });
  }

  private static Future<Map<String, Long>> cursors(Session s, List<String> streams) {
    if (s.device == null) {
      return Future.succeededFuture(Map.of());
    }
    return back(s, s.services().store().cursors(s.user(), s.device, streams));
  }

  /** Counts the session for presence; its rooms hear about it if the user just came online. */
  private static Future<Void> open(Session s, Set<String> rooms) {
    if (s.isClosed()) {
      return Future.failedFuture("closed during hello");
    }
    return back(s, s.services().presence().opened(s.id, s.user(), rooms)).compose(first -> {
      if (s.isClosed()) {
        // closed while being counted: clean-up ran without knowing, so undo it here
        s.services().presence().closed(s.id, s.user(), rooms);
        return Future.failedFuture("closed during hello");
      }
      s.presenceCounted();
      return Future.succeededFuture();
    });
  }

  private static Future<Void> welcome(Session s, Set<String> rooms, Positions p) {
    Services sv = s.services();
    Map<String, Future<RoomPresence>> presence = new HashMap<>();
    rooms.forEach(r -> presence.put(r, back(s, sv.presence().room(r))));
    return Future.all(new ArrayList<>(presence.values())).map(v -> {
      JsonObject streams = new JsonObject();
      for (String stream : p.streams) {
        JsonObject info = new JsonObject().put("head", p.heads.getOrDefault(stream, 0L));
        if (StreamName.kindOf(stream) == StreamName.Kind.ROOM) {
          RoomPresence rp = presence.get(StreamName.idOf(stream)).result();
          info.put("online", new JsonArray(new ArrayList<>(rp.users()))).put("onlineCount", rp.count());
        }
        streams.put(stream, info);
      }
      s.write(ServerFrames.welcome(s.user(), s.id, sv.options().getNodeName(),
          sv.options().getProtocol().getHeartbeatMs(), streams), FrameType.WELCOME);
      return null;
    });
  }

  /** Start of each stream: the client's resume position, else the device cursor, else the head. */
  private static void replay(Session s, ClientFrame.Hello hello, Positions p) {
    for (String stream : p.streams) {
      SessionStream ss = s.streams.get(stream);
      if (ss == null) {
        continue;
      }
      long head = p.heads.getOrDefault(stream, 0L);
      Long cursor = p.cursors.get(stream);
      if (cursor != null && cursor > head) {
        // the stream started over under this device's cursor: the replay below starts at 1, and the
        // cursor must be rewritten to it, or acks of the new history would be ignored until it passed
        // the old position, and a resume from the cursor would then skip what lies in between
        ss.cursorStale();
      } else if (cursor != null) {
        ss.cursorLoaded(cursor);
      }
      Long last = hello.resume() != null ? hello.resume().get(stream) : null;
      if (last == null) {
        last = cursor;
      }
      // a position above the head means the store lost this stream's history (an in-memory store
      // restarted): the stream starts over, so replay what the log holds now instead of skipping it
      long from = last == null ? head + 1 : last > head ? 1 : last + 1;
      ss.start(from, true);
    }
  }

  private static <T> Future<T> back(Session s, Future<T> f) {
    return OnContext.back(s.manager.context(), f);
  }

  private record Positions(List<String> streams, Map<String, Long> heads, Map<String, Long> cursors) {
  }
}
