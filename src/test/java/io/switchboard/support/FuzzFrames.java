package io.switchboard.support;

import io.switchboard.protocol.ClientFrame;
import io.switchboard.protocol.FrameParser;
import io.switchboard.protocol.JsonLimits;
import io.switchboard.protocol.ProtocolException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * Hostile frames for the fuzz test, each with the answer the protocol documents for it: one reply
 * (an error frame, or the answer to a frame that happens to be valid), a close code, or nothing (the
 * client hangs up mid-frame). Deterministic for a given {@link Random}.
 */
public final class FuzzFrames {

  public enum Outcome { REPLY, CLOSE, ABORT }

  /** One planned frame: the bytes to write and what must come back. */
  public record Planned(String kind, byte[] wire, Outcome outcome, int closeCode) {
  }

  private static final String[] TYPES = {"send", "join", "leave", "ack", "hello", "ping", "refresh", "pong", "",
      "SEND", "welcome", "error", "message"};
  private static final String[] FIELDS = {"ref", "to", "body", "id", "transient", "stream", "seq", "room", "token",
      "resume", "device", "client"};
  private static final String[] STREAMS = {"all", "user:x", "room:y", "user:", "room:", "planet:earth", "ALL",
      "user:a b", "room:{tag}", "user:" + "u".repeat(200), "user:\u00e9", "", ":", "all:", "user:x:y"};
  private static final String ALPHABET = "abcxyz019 _-:\"\\{}[],.\u00e9\u6f22";

  private final Random random;
  private final int maxMessageBytes;
  private final JsonLimits limits;
  /** Set when the connection negotiates permessage-deflate: half the replies go compressed, and bombs join in. */
  private final Deflater deflater;
  private final byte[] bomb;

  public FuzzFrames(Random random, int maxMessageBytes, boolean compressed) {
    this.random = random;
    this.maxMessageBytes = maxMessageBytes;
    this.limits = new JsonLimits(maxMessageBytes);
    this.deflater = compressed ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : null;
    if (compressed) {
      // inflates to 512 times the message limit; its own deflate stream, so any connection can send it
      Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
      this.bomb = Deflate.message(d, new byte[maxMessageBytes * 512]);
      d.end();
    } else {
      this.bomb = null;
    }
  }

  /** The frames that follow go on a new connection: a fresh compression context. */
  public void newConnection() {
    if (deflater != null) {
      deflater.reset();
    }
  }

  public void close() {
    if (deflater != null) {
      deflater.end();
    }
  }

  public Planned next() {
    int r = random.nextInt(10_000);
    if (deflater != null && r >= 9_970) {
      if (r >= 9_985) {
        return new Planned("deflate-bomb", RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT, bomb), Outcome.CLOSE, 1009);
      }
      // block type 11 is reserved: no inflater can read past it
      byte[] bad = noise(1 + random.nextInt(32));
      bad[0] |= 0x06;
      return new Planned("deflate-invalid", RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT, bad), Outcome.CLOSE, 1002);
    }
    if (r < 15) {
      return close("binary", RawWebSocket.BINARY, noise(1 + random.nextInt(64)), 1003);
    }
    if (r < 30) {
      return badUtf8();
    }
    if (r < 40) {
      return close("oversize", RawWebSocket.TEXT, ascii(maxMessageBytes + 1 + random.nextInt(1024)), 1009);
    }
    if (r < 70) {
      return wireViolation();
    }
    if (r < 80) {
      // a header announcing more payload than follows, then the client is gone
      byte[] whole = RawWebSocket.frame(true, 0, RawWebSocket.TEXT, ascii(200));
      return new Planned("truncated-frame", java.util.Arrays.copyOf(whole, 20 + random.nextInt(100)), Outcome.ABORT, 0);
    }
    return text();
  }

  // ---- frames answered with one reply -----------------------------------------------------------

  private Planned text() {
    String kind;
    String text;
    switch (random.nextInt(9)) {
      case 0 -> {
        kind = "wrong-types";
        text = wrongTypes().encode();
      }
      case 1 -> {
        kind = "unknown-stream";
        text = unknownStream().encode();
      }
      case 2 -> {
        kind = "deep-nesting";
        text = deep();
      }
      case 3 -> {
        kind = "long-string";
        text = longString();
      }
      case 4 -> {
        kind = "truncated-json";
        String whole = wrongTypes().encode();
        text = whole.substring(0, random.nextInt(whole.length()));
      }
      case 5 -> {
        kind = "mutated";
        text = mutate(wrongTypes().encode());
      }
      case 6 -> {
        kind = "not-an-object";
        text = random.nextBoolean() ? io.vertx.core.json.Json.encode(value(3)) : new String(ascii(1 + random.nextInt(100)), StandardCharsets.US_ASCII);
      }
      case 7 -> {
        kind = "seq";
        text = seqs().encode();
      }
      default -> {
        kind = "ping";
        text = new JsonObject().put("type", "ping").put("ref", random.nextInt()).encode();
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > maxMessageBytes) {
      return new Planned(kind + "-oversize", RawWebSocket.frame(true, 0, RawWebSocket.TEXT, bytes), Outcome.CLOSE, 1009);
    }
    if (silent(text)) {
      // valid frames that get no answer (ack, pong, refresh that would end the session) cannot be counted
      return text();
    }
    if (deflater != null && random.nextBoolean()) {
      return new Planned(kind + "-deflated", RawWebSocket.frame(true, RawWebSocket.RSV1, RawWebSocket.TEXT,
          Deflate.message(deflater, bytes)), Outcome.REPLY, 0);
    }
    return new Planned(kind, RawWebSocket.frame(true, 0, RawWebSocket.TEXT, bytes), Outcome.REPLY, 0);
  }

  /** Valid frames whose protocol answer is silence: left out so that every frame sent is owed a reply. */
  private boolean silent(String text) {
    try {
      ClientFrame f = FrameParser.parse(text, limits);
      return f instanceof ClientFrame.Ack || f instanceof ClientFrame.Pong || f instanceof ClientFrame.Refresh;
    } catch (ProtocolException invalid) {
      return false;
    }
  }

  private JsonObject wrongTypes() {
    JsonObject o = new JsonObject().put("type", TYPES[random.nextInt(TYPES.length)]);
    int fields = random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      o.put(FIELDS[random.nextInt(FIELDS.length)], value(3));
    }
    return o;
  }

  private JsonObject unknownStream() {
    String stream = STREAMS[random.nextInt(STREAMS.length)];
    return switch (random.nextInt(4)) {
      case 0 -> new JsonObject().put("type", "send").put("ref", "u").put("to", stream).put("body", 1);
      case 1 -> new JsonObject().put("type", "ack").put("stream", stream).put("seq", 1);
      case 2 -> new JsonObject().put("type", "join").put("room", stream);
      default -> new JsonObject().put("type", "hello").put("resume", new JsonObject().put(stream, 1));
    };
  }

  private JsonObject seqs() {
    Object seq = switch (random.nextInt(8)) {
      case 0 -> -1 - random.nextInt(1000);
      case 1 -> Long.MAX_VALUE;
      case 2 -> new java.math.BigInteger("9".repeat(1 + random.nextInt(60)));
      case 3 -> "" + random.nextInt(100);
      case 4 -> random.nextDouble() * 1e300;
      case 5 -> (1L << 53) + random.nextInt(1000);
      case 6 -> new JsonArray().add(1);
      default -> null;
    };
    return new JsonObject().put("type", "ack").put("stream", random.nextBoolean() ? "all" : "user:x").put("seq", seq);
  }

  private String deep() {
    int depth = 20 + random.nextInt(400);
    String open = random.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    boolean unterminated = random.nextInt(4) == 0;
    return "{\"type\":\"send\",\"to\":\"user:x\",\"body\":" + open.repeat(depth)
        + (unterminated ? "" : (open.equals("[") ? "" : "1") + close.repeat(depth) + "}");
  }

  private String longString() {
    String field = FIELDS[random.nextInt(FIELDS.length)];
    int length = random.nextInt(maxMessageBytes);
    StringBuilder b = new StringBuilder("{\"type\":\"").append(random.nextBoolean() ? "send" : "ping").append("\",\"")
        .append(field).append("\":\"");
    for (int i = 0; i < length; i++) {
      b.append((char) ('a' + random.nextInt(26)));
    }
    return b.append("\"}").toString();
  }

  private String mutate(String text) {
    StringBuilder b = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && b.length() > 0; i++) {
      int at = random.nextInt(b.length());
      char c = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
      switch (random.nextInt(3)) {
        case 0 -> b.setCharAt(at, c);
        case 1 -> b.insert(at, c);
        default -> b.deleteCharAt(at);
      }
    }
    return b.toString();
  }

  private Object value(int depth) {
    return switch (random.nextInt(depth > 0 ? 12 : 9)) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt();
      case 3 -> random.nextLong();
      case 4 -> -random.nextInt(100);
      case 5 -> random.nextDouble() * Math.pow(10, random.nextInt(300));
      case 6 -> STREAMS[random.nextInt(STREAMS.length)];
      case 7 -> "";
      case 8 -> mutate("room:abc");
      case 9 -> new JsonArray().add(value(depth - 1)).add(value(depth - 1));
      case 10 -> new JsonObject().put(FIELDS[random.nextInt(FIELDS.length)], value(depth - 1));
      default -> new JsonObject().put("type", TYPES[random.nextInt(TYPES.length)]);
    };
  }

  // ---- frames answered with a close ----------------------------------------------------------------

  private Planned badUtf8() {
    byte[] bad = {(byte) 0xC3, 0x28};
    byte[][] choices = {bad, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}};
    byte[] pick = choices[random.nextInt(choices.length)];
    byte[] head = "{\"type\":\"ping\",\"ref\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] payload = RawWebSocket.concat(RawWebSocket.concat(head, pick), "\"}".getBytes(StandardCharsets.US_ASCII));
    return close("invalid-utf8", RawWebSocket.TEXT, payload, 1007);
  }

  private Planned wireViolation() {
    byte[] json = "{\"type\":\"ping\"}".getBytes(StandardCharsets.US_ASCII);
    return switch (random.nextInt(6)) {
      case 0 -> close("bad-opcode", new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}[random.nextInt(10)], json, 1002);
      // with deflate negotiated RSV1 means compressed: only RSV2 and RSV3 are then reserved
      case 1 -> new Planned("reserved-bits", RawWebSocket.frame(true, new int[] {RawWebSocket.RSV2, RawWebSocket.RSV3,
          RawWebSocket.RSV1}[random.nextInt(deflater != null ? 2 : 3)], RawWebSocket.TEXT, json), Outcome.CLOSE, 1002);
      case 2 -> close("big-control", RawWebSocket.PING, noise(126 + random.nextInt(200)), 1002);
      case 3 -> close("orphan-continuation", RawWebSocket.CONTINUATION, json, 1002);
      case 4 -> new Planned("fragmented-control", RawWebSocket.frame(false, 0, RawWebSocket.PING, json), Outcome.CLOSE, 1002);
      default -> {
        byte[] unmasked = new byte[2 + json.length];
        unmasked[0] = (byte) 0x81;
        unmasked[1] = (byte) json.length;
        System.arraycopy(json, 0, unmasked, 2, json.length);
        yield new Planned("unmasked", unmasked, Outcome.CLOSE, 1002);
      }
    };
  }

  private static Planned close(String kind, int opcode, byte[] payload, int code) {
    return new Planned(kind, RawWebSocket.frame(true, 0, opcode, payload), Outcome.CLOSE, code);
  }

  private byte[] noise(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] ascii(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (0x20 + random.nextInt(0x5f));
    }
    return b;
  }
}
