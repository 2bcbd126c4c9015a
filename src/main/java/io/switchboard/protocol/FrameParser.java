package io.switchboard.protocol;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/** Turns a text frame into a {@link ClientFrame}, or explains precisely what is wrong with it. */
public final class FrameParser {

  public static final int MAX_REF_LENGTH = 64;
  public static final int MAX_ID_LENGTH = 128;
  public static final int MAX_DEVICE_LENGTH = 64;
  public static final int MAX_CLIENT_LENGTH = 64;
  public static final int MAX_RESUME_ENTRIES = 1000;
  /** Epochs the server writes are decimal longs; anything longer is not one of them. */
  public static final int MAX_EPOCH_LENGTH = 32;
  public static final int MAX_TOKEN_LENGTH = 8192;
  /** Seqs travel through JavaScript clients, where integers above 2^53 lose precision. */
  public static final long MAX_SEQ = (1L << 53) - 1;

  private FrameParser() {
  }

  /** Parses under the limits of the default message size. */
  public static ClientFrame parse(String text) {
    return parse(text, JsonLimits.DEFAULT);
  }

  public static ClientFrame parse(String text, JsonLimits limits) {
    JsonObject o = limits.readObject(text);
    Object ref = ref(o);
    Object type = o.getValue("type");
    if (!(type instanceof String)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "missing \"type\"");
    }
    switch ((String) type) {
      case FrameType.HELLO:
        return new ClientFrame.Hello(
            optionalString(o, "token", MAX_TOKEN_LENGTH, ref),
            optionalString(o, "device", MAX_DEVICE_LENGTH, ref),
            optionalString(o, "client", MAX_CLIENT_LENGTH, ref),
            resume(o, ref));
      case FrameType.SEND:
        return send(o, ref);
      case FrameType.JOIN:
        return new ClientFrame.Join(ref, room(o, ref));
      case FrameType.LEAVE:
        return new ClientFrame.Leave(ref, room(o, ref));
      case FrameType.ACK:
        return new ClientFrame.Ack(stream(o, "stream", ref), seq(o.getValue("seq"), "seq", ref));
      case FrameType.PING:
        return new ClientFrame.Ping(ref);
      case FrameType.PONG:
        return new ClientFrame.Pong(ref);
      case FrameType.REFRESH:
        return new ClientFrame.Refresh(optionalString(o, "token", MAX_TOKEN_LENGTH, ref));
      default:
        throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "unknown type \"" + truncate((String) type) + "\"");
    }
  }

  private static ClientFrame.Send send(JsonObject o, Object ref) {
    String to = stream(o, "to", ref);
    if (!o.containsKey("body")) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "missing \"body\"");
    }
    String id = optionalString(o, "id", MAX_ID_LENGTH, ref);
    if (id != null && !StreamName.isValidId(id)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
          "\"id\" must be 1-" + MAX_ID_LENGTH + " characters of letters, digits and _.:@|+=-");
    }
    Object transientFlag = o.getValue("transient");
    if (transientFlag != null && !(transientFlag instanceof Boolean)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "\"transient\" must be true or false");
    }
    return new ClientFrame.Send(ref, to, Json.encode(o.getValue("body")), id, Boolean.TRUE.equals(transientFlag));
  }

  private static Object ref(JsonObject o) {
    Object ref = o.getValue("ref");
    if (ref == null) {
      return null;
    }
    if (ref instanceof String && ((String) ref).length() <= MAX_REF_LENGTH) {
      return ref;
    }
    if (ref instanceof Integer || ref instanceof Long) {
      return ref;
    }
    throw new ProtocolException(ErrorCode.BAD_REQUEST, null,
        "\"ref\" must be a string of at most " + MAX_REF_LENGTH + " characters or an integer");
  }

  private static String room(JsonObject o, Object ref) {
    Object room = o.getValue("room");
    if (!(room instanceof String) || !StreamName.isValidId((String) room)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
          "\"room\" must be a room id: 1-" + StreamName.MAX_ID_LENGTH + " characters of letters, digits and _.:@|+=-");
    }
    String problem = StreamName.roomIdProblem("room", (String) room);
    if (problem != null) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, problem);
    }
    return (String) room;
  }

  private static String stream(JsonObject o, String field, Object ref) {
    Object v = o.getValue(field);
    if (!(v instanceof String) || StreamName.kindOf((String) v) == null) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
          "\"" + field + "\" must be a stream: user:<id>, room:<id> or all");
    }
    return (String) v;
  }

  private static String optionalString(JsonObject o, String field, int maxLength, Object ref) {
    Object v = o.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String) || ((String) v).isEmpty() || ((String) v).length() > maxLength) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
          "\"" + field + "\" must be a non-empty string of at most " + maxLength + " characters");
    }
    return (String) v;
  }

  private static Map<String, ClientFrame.Resume> resume(JsonObject o, Object ref) {
    Object v = o.getValue("resume");
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
          "\"resume\" must be an object of stream to last seq or to {\"seq\", \"epoch\"}");
    }
    JsonObject resume = (JsonObject) v;
    if (resume.size() > MAX_RESUME_ENTRIES) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "\"resume\" has more than " + MAX_RESUME_ENTRIES + " streams");
    }
    Map<String, ClientFrame.Resume> out = new HashMap<>();
    for (Map.Entry<String, Object> e : resume) {
      if (StreamName.kindOf(e.getKey()) == null) {
        throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "\"resume\" key is not a stream: " + truncate(e.getKey()));
      }
      String field = "resume." + truncate(e.getKey());
      if (e.getValue() instanceof JsonObject p) {
        Object epoch = p.getValue("epoch");
        if (!(epoch instanceof String) || ((String) epoch).length() > MAX_EPOCH_LENGTH) {
          throw new ProtocolException(ErrorCode.BAD_REQUEST, ref,
              "\"" + field + ".epoch\" must be the epoch string the server sent (at most " + MAX_EPOCH_LENGTH + " characters)");
        }
        out.put(e.getKey(), new ClientFrame.Resume(seq(p.getValue("seq"), field + ".seq", ref), (String) epoch));
      } else {
        out.put(e.getKey(), new ClientFrame.Resume(seq(e.getValue(), field, ref), null));
      }
    }
    return out;
  }

  private static long seq(Object v, String field, Object ref) {
    if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0 && ((Number) v).longValue() <= MAX_SEQ) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger || v instanceof Number) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "\"" + field + "\" must be an integer from 0 to " + MAX_SEQ);
    }
    throw new ProtocolException(ErrorCode.BAD_REQUEST, ref, "\"" + field + "\" must be an integer seq");
  }

  static String truncate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
