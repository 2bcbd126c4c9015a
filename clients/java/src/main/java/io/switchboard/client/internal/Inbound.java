package io.switchboard.client.internal;

import io.switchboard.client.ErrorCode;
import io.switchboard.client.Presence;
import io.switchboard.client.Sent;
import io.switchboard.client.SwitchboardException;
import org.json.JSONObject;

/**
 * The frames the node sends, each taken to what it concerns: the welcome and the liveness frames to
 * the lifecycle, stream frames to {@link Streams}, answers to the {@link Requests} they settle.
 * Confined to the loop thread.
 */
final class Inbound {
  /** What the frames in need of the connection's lifecycle. */
  interface Lifecycle {
    boolean welcomed();

    void welcome(JSONObject w);

    /** The pong of the probe sent when the network changed. */
    void probeAnswered();

    void reconnectHint(long ms);
  }

  private final Lifecycle lifecycle;
  private final Link link;
  private final Streams streams;
  private final Requests requests;
  private final Events events;

  Inbound(Lifecycle lifecycle, Link link, Streams streams, Requests requests, Events events) {
    this.lifecycle = lifecycle;
    this.link = link;
    this.streams = streams;
    this.requests = requests;
    this.events = events;
  }

  void frame(String text) {
    JSONObject f = Json.parseObject(text);
    if (f == null) {
      return;
    }
    String type = Json.string(f, "type");
    if (type == null) {
      return;
    }
    if (!lifecycle.welcomed() && !type.equals("welcome")) {
      // the node sends nothing else before welcome; a frame that does is not acted on as if open
      return;
    }
    if (type.equals("welcome")) {
      lifecycle.welcome(f);
    } else if (type.equals("message")) {
      streams.message(f);
    } else if (type.equals("gap")) {
      streams.gap(f);
    } else if (type.equals("reset")) {
      streams.reset(f);
    } else if (type.equals("resumed")) {
      streams.resumed(f);
    } else if (type.equals("presence")) {
      final Presence p = new Presence(Json.string(f, "room"), Json.string(f, "user"), "online".equals(Json.string(f, "state")));
      events.emit(l -> {
        l.onPresence(p);
      });
    } else if (type.equals("ping")) {
      JSONObject pong = Json.put(Json.object(), "type", "pong");
      if (f.has("ref")) {
        Json.put(pong, "ref", f.opt("ref"));
      }
      link.send(pong);
    } else if (type.equals("pong") && "probe".equals(f.opt("ref"))) {
      lifecycle.probeAnswered();
    } else if (type.equals("reconnect")) {
      lifecycle.reconnectHint(Math.max(0, Json.number(f, "after", 0)));
    } else if (type.equals("sent") || type.equals("joined") || type.equals("left") || type.equals("pong")
        || type.equals("error")) {
      reply(f, type);
    }
  }

  private void reply(JSONObject f, String type) {
    Object refValue = f.opt("ref");
    Op op = requests.byRef(refValue);
    if (op == null) {
      if (refValue == null && (type.equals("joined") || type.equals("left"))) {
        // another session of this user (a tab, a device, the HTTP API) joined or left a room
        streams.membership(f, type, true, false);
      } else if (type.equals("error")) {
        String code = Json.string(f, "code");
        events.error(new SwitchboardException(ErrorCode.fromWire(code), code != null ? code : "internal",
            Json.string(f, "message"), null, false, 0, null));
      }
      return;
    }
    if (type.equals("error")) {
      String code = Json.string(f, "code");
      ErrorCode ec = ErrorCode.fromWire(code);
      // not stored, or stored without confirmation: the same id makes the retry safe
      if (ec == ErrorCode.UNAVAILABLE && requests.retryLater(op)) {
        return;
      }
      settle(op);
      String message = Json.string(f, "message");
      if (op.restore) {
        // nobody asked for this join: the application learns of its failure as an event
        events.error(new SwitchboardException(ec, code != null ? code : "internal", "could not join "
            + op.frame.optString("room") + " again for the messages waiting for it: " + message, null, false, 0, null));
      }
      op.completion.fail(new SwitchboardException(ec, code != null ? code : "internal", message,
          op.id, ec == ErrorCode.UNAVAILABLE || ec == ErrorCode.INTERNAL, 0, null));
      pumpHeld(op);
      return;
    }
    settle(op);
    if (type.equals("joined") || type.equals("left")) {
      op.completion.succeed(streams.membership(f, type, false, op.restore));
      pumpHeld(op);
    } else if (type.equals("pong")) {
      op.completion.succeed(Long.valueOf(Loop.now() - op.sentAt));
    } else {
      Object ep = f.opt("epoch");
      op.completion.succeed(new Sent(Json.string(f, "stream"), Json.number(f, "seq", 0),
          Positions.isEpoch(ep) ? (String) ep : null, Json.string(f, "id")));
    }
  }

  /** A join or leave answered: the sends held for it go (and get the node's answer if it failed). */
  private void pumpHeld(Op op) {
    if (op.type.equals(Op.JOIN) || op.type.equals(Op.LEAVE)) {
      requests.pump();
    }
  }

  private void settle(Op op) {
    requests.settle(op);
    if (requests.outboxDirty) {
      link.schedulePersist();
    }
  }
}
