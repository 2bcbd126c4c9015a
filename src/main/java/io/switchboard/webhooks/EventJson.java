package io.switchboard.webhooks;

import io.switchboard.protocol.StreamName;
import io.switchboard.store.MessageIds;
import io.switchboard.store.Position;
import io.switchboard.store.StoredMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The JSON of each event, as docs/webhooks.md shows it: {@code id} (unique per event, kept through
 * retries and replays; for a message's events, derived from the message), {@code type}, {@code time} (epoch ms), {@code stream}, {@code epoch} (the
 * protocol's opaque string) and {@code seq} where the event is about a stored message, and {@code data}.
 */
final class EventJson {

  static final String UNDELIVERED = "message.undelivered";
  static final String STORED = "message.stored";
  static final String ONLINE = "presence.online";
  static final String OFFLINE = "presence.offline";
  static final String JOINED = "room.joined";
  static final String LEFT = "room.left";

  private EventJson() {
  }

  static JsonObject event(String type, long time) {
    return event("evt_" + MessageIds.next(), type, time);
  }

  /** The fields every event has: its id, type and time. */
  private static JsonObject event(String id, String type, long time) {
    return new JsonObject().put("id", id).put("type", type).put("time", time);
  }

  static JsonObject presence(String type, String user, long time) {
    return event(type, time).put("data", new JsonObject().put("user", user));
  }

  /**
   * @param outboxId the change's note in the outbox: the event's id is derived from it, so a copy made
   *                 from the note by another node has the same; null: a new id
   */
  static JsonObject membership(EventQueue.MembershipNote change, String outboxId) {
    String type = change.joined() ? JOINED : LEFT;
    JsonObject event = outboxId == null ? event(type, change.at())
        : event(derivedId(type, change.room(), change.user(), outboxId), type, change.at());
    return event.put("stream", StreamName.room(change.room()))
        .put("data", new JsonObject().put("room", change.room()).put("user", change.user()));
  }

  static JsonObject stored(StoredMessage m, long time) {
    return message(STORED, m, time).put("data", messageData(m).put("body", body(m.body())));
  }

  /** Why a message is undelivered: nobody was online, or some devices did not ack it in time. */
  static final String NOBODY_ONLINE = "offline";
  static final String NOT_ACKED = "unacked";

  /**
   * @param reason       {@link #NOBODY_ONLINE} or {@link #NOT_ACKED}
   * @param devices      the user's devices concerned (with a cursor below the message)
   * @param previewChars characters of the body's text in {@code preview}; 0: none
   * @param includeBody  whether the whole body is in it too
   */
  static JsonObject undelivered(StoredMessage m, String reason, List<String> devices, int previewChars,
                                boolean includeBody, long time) {
    JsonObject data = messageData(m).put("user", StreamName.idOf(m.stream())).put("reason", reason)
        .put("devices", new JsonArray(devices));
    if (previewChars > 0) {
      data.put("preview", preview(m.body(), previewChars));
    }
    if (includeBody) {
      data.put("body", body(m.body()));
    }
    return message(UNDELIVERED, m, time).put("data", data);
  }

  private static JsonObject message(String type, StoredMessage m, long time) {
    return event(messageEventId(type, m), type, time).put("stream", m.stream())
        .put("epoch", Position.wireEpoch(m.epoch())).put("seq", m.seq());
  }

  /**
   * One message's event of one type has one id, whichever node makes it and however often: a node
   * that recovers another's outbox note may queue an event that node had queued just before dying,
   * and the receiver's de-duplication by id must see them as one.
   */
  static String messageEventId(String type, StoredMessage m) {
    return derivedId(type, m.stream(), String.valueOf(m.epoch()), String.valueOf(m.seq()));
  }

  /** {@code evt_} and 16 characters of a hash of the parts: the same parts, the same id. */
  private static String derivedId(String... parts) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
      return "evt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 12));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonObject messageData(StoredMessage m) {
    return new JsonObject().put("messageId", m.id()).put("from", m.from()).put("ts", m.ts());
  }

  /** A body the log no longer held when the event was made (a recovered note) is null. */
  private static Object body(String json) {
    if (json == null) {
      return null;
    }
    try {
      return Json.decodeValue(json);
    } catch (DecodeException e) {
      // bodies are checked JSON when they come in; a text that is not stays text rather than failing the event
      return json;
    }
  }

  /**
   * The text a notification shows: a string body itself, an object's {@code text} field if it is a
   * string, else the body's JSON; cut at {@code max} characters (never inside a surrogate pair).
   */
  static String preview(String json, int max) {
    if (json == null) {
      return "";
    }
    Object body = body(json);
    String text;
    if (body instanceof String s) {
      text = s;
    } else if (body instanceof JsonObject o && o.getValue("text") instanceof String s) {
      text = s;
    } else {
      text = json;
    }
    if (text.length() <= max) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, end);
  }
}
