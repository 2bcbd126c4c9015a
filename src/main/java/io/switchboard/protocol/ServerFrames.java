package io.switchboard.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;

/**
 * Encoders for every server-to-client frame. {@link #message} is on the hot path and builds its
 * text directly, splicing in the body's JSON as it was stored; the rest go through JsonObject.
 */
public final class ServerFrames {

  private ServerFrames() {
  }

  /** seq &lt;= 0 marks a transient message, which has no seq. */
  public static String message(String stream, long seq, String id, String from, String body, long ts) {
    StringBuilder sb = new StringBuilder(96 + body.length());
    sb.append("{\"type\":\"message\",\"stream\":");
    quote(sb, stream);
    if (seq > 0) {
      sb.append(",\"seq\":").append(seq);
    }
    sb.append(",\"id\":");
    quote(sb, id);
    sb.append(",\"from\":");
    quote(sb, from);
    sb.append(",\"body\":").append(body);
    sb.append(",\"ts\":").append(ts).append('}');
    return sb.toString();
  }

  public static String welcome(String user, String session, String node, int heartbeatMs, JsonObject streams) {
    return new JsonObject()
        .put("type", FrameType.WELCOME)
        .put("user", user)
        .put("session", session)
        .put("node", node)
        .put("heartbeat", heartbeatMs)
        .put("streams", streams)
        .encode();
  }

  /** seq &lt;= 0 (transient send) leaves the seq and epoch out. */
  public static String sent(Object ref, String stream, long seq, String epoch, String id) {
    JsonObject o = withRef(FrameType.SENT, ref).put("stream", stream);
    if (seq > 0) {
      o.put("seq", seq).put("epoch", epoch);
    }
    return o.put("id", id).encode();
  }

  public static String joined(Object ref, String room, long head, String epoch, Collection<String> online, int onlineCount) {
    return withRef(FrameType.JOINED, ref)
        .put("room", room)
        .put("head", head)
        .put("epoch", epoch)
        .put("online", new JsonArray(new ArrayList<>(online)))
        .put("onlineCount", onlineCount)
        .encode();
  }

  public static String left(Object ref, String room) {
    return withRef(FrameType.LEFT, ref).put("room", room).encode();
  }

  public static String resumed(String stream, long from, long to) {
    return range(FrameType.RESUMED, stream, from, to);
  }

  public static String gap(String stream, long from, long to) {
    return range(FrameType.GAP, stream, from, to);
  }

  /** The stream started over: positions before it are void, the messages after it are seq 1.. of {@code epoch}. */
  public static String reset(String stream, String epoch) {
    return new JsonObject().put("type", FrameType.RESET).put("stream", stream).put("epoch", epoch).encode();
  }

  public static String presence(String room, String user, boolean online) {
    return new JsonObject()
        .put("type", FrameType.PRESENCE)
        .put("room", room)
        .put("user", user)
        .put("state", online ? "online" : "offline")
        .encode();
  }

  public static String reconnect(long afterMs) {
    return new JsonObject().put("type", FrameType.RECONNECT).put("after", afterMs).encode();
  }

  public static String error(Object ref, ErrorCode code, String message) {
    return withRef(FrameType.ERROR, ref).put("code", code.wire()).put("message", message).encode();
  }

  /**
   * A send the application refused (publish proxy): code {@code rejected}, the backend's message, and
   * its own reason code under {@code reason} when it gave one.
   */
  public static String rejected(Object ref, String reason, String message) {
    JsonObject frame = withRef(FrameType.ERROR, ref).put("code", ErrorCode.REJECTED.wire()).put("message", message);
    if (reason != null) {
      frame.put("reason", reason);
    }
    return frame.encode();
  }

  public static String ping(Object ref) {
    return withRef(FrameType.PING, ref).encode();
  }

  public static String pong(Object ref) {
    return withRef(FrameType.PONG, ref).encode();
  }

  private static String range(String type, String stream, long from, long to) {
    return new JsonObject().put("type", type).put("stream", stream).put("from", from).put("to", to).encode();
  }

  private static JsonObject withRef(String type, Object ref) {
    JsonObject o = new JsonObject().put("type", type);
    if (ref != null) {
      o.put("ref", ref);
    }
    return o;
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    JsonStringEncoder.getInstance().quoteAsString(s, sb);
    sb.append('"');
  }
}
