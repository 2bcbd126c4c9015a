package io.switchboard.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameParserTest {

  @Test
  void parsesEveryClientFrame() {
    assertEquals(new ClientFrame.Hello("t", "phone", "js/1", Map.of("user:bob", new ClientFrame.Resume(4, null), "all", new ClientFrame.Resume(0, null))),
        FrameParser.parse("{\"type\":\"hello\",\"token\":\"t\",\"device\":\"phone\",\"client\":\"js/1\",\"resume\":{\"user:bob\":4,\"all\":0}}"));
    assertEquals(new ClientFrame.Hello(null, null, null, null), FrameParser.parse("{\"type\":\"hello\"}"));
    assertEquals(new ClientFrame.Hello("t", null, null, Map.of("room:x", new ClientFrame.Resume(9, "1767225600000"),
            "all", new ClientFrame.Resume(0, ""))),
        FrameParser.parse("{\"type\":\"hello\",\"token\":\"t\",\"resume\":{\"room:x\":{\"seq\":9,\"epoch\":\"1767225600000\"},"
            + "\"all\":{\"seq\":0,\"epoch\":\"\"}}}"));
    assertEquals(new ClientFrame.Send("r1", "room:x", "{\"a\":[1,true,null]}", "m-1", false),
        FrameParser.parse("{\"type\":\"send\",\"ref\":\"r1\",\"to\":\"room:x\",\"body\":{\"a\":[1,true,null]},\"id\":\"m-1\"}"));
    assertEquals(new ClientFrame.Send(7, "all", "null", null, true),
        FrameParser.parse("{\"type\":\"send\",\"ref\":7,\"to\":\"all\",\"body\":null,\"transient\":true}"));
    assertEquals(new ClientFrame.Join("j", "lobby"), FrameParser.parse("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"lobby\"}"));
    assertEquals(new ClientFrame.Leave(null, "lobby"), FrameParser.parse("{\"type\":\"leave\",\"room\":\"lobby\"}"));
    assertEquals(new ClientFrame.Ack("user:bob", 12), FrameParser.parse("{\"type\":\"ack\",\"stream\":\"user:bob\",\"seq\":12}"));
    assertEquals(new ClientFrame.Ping("p"), FrameParser.parse("{\"type\":\"ping\",\"ref\":\"p\"}"));
    assertEquals(new ClientFrame.Pong(null), FrameParser.parse("{\"type\":\"pong\"}"));
    assertEquals(new ClientFrame.Refresh("t2"), FrameParser.parse("{\"type\":\"refresh\",\"token\":\"t2\"}"));
  }

  @Test
  void eachFrameNamesTheTypeItWasSentAs() {
    for (String type : List.of("hello", "send", "join", "leave", "ack", "ping", "pong", "refresh")) {
      String text = switch (type) {
        case "send" -> "{\"type\":\"send\",\"to\":\"all\",\"body\":1}";
        case "join", "leave" -> "{\"type\":\"" + type + "\",\"room\":\"lobby\"}";
        case "ack" -> "{\"type\":\"ack\",\"stream\":\"all\",\"seq\":1}";
        case "refresh" -> "{\"type\":\"refresh\",\"token\":\"t\"}";
        default -> "{\"type\":\"" + type + "\"}";
      };
      assertEquals(type, FrameParser.parse(text).type(), text);
    }
  }

  @Test
  void theBodyIsKeptAsTheJsonTheClientSent() {
    ClientFrame.Send s = (ClientFrame.Send) FrameParser.parse("{\"type\":\"send\",\"to\":\"all\",\"body\":\"quote \\\" and \\u00e9\"}");
    assertEquals("\"quote \\\" and é\"", s.body());
  }

  @Test
  void badFramesAreRefusedWithAnExplanationAndTheirRef() {
    assertBad("not json", null, "frame is not a JSON object");
    assertBad("[1]", null, "frame is not a JSON object");
    assertBad("{\"ref\":\"a\"}", "a", "missing \"type\"");
    assertBad("{\"type\":\"warp\",\"ref\":\"a\"}", "a", "unknown type \"warp\"");
    assertBad("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"user:\",\"body\":1}", "a", "\"to\" must be a stream: user:<id>, room:<id> or all");
    assertBad("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"room:{tag}\",\"body\":1}", "a", "\"to\" must be a stream: user:<id>, room:<id> or all");
    assertBad("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"all\"}", "a", "missing \"body\"");
    assertBad("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"all\",\"body\":1,\"transient\":\"yes\"}", "a", "\"transient\" must be true or false");
    assertBad("{\"type\":\"send\",\"to\":\"all\",\"body\":1,\"id\":\"has space\"}", null,
        "\"id\" must be 1-128 characters of letters, digits and _.:@|+=-");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\",\"seq\":-1}", null, "\"seq\" must be an integer from 0 to 9007199254740991");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\",\"seq\":1.5}", null, "\"seq\" must be an integer from 0 to 9007199254740991");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\",\"seq\":99999999999999999999999}", null,
        "\"seq\" must be an integer from 0 to 9007199254740991");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\",\"seq\":\"3\"}", null, "\"seq\" must be an integer seq");
    assertBad("{\"type\":\"join\",\"ref\":1,\"room\":\"\"}", 1, null);
    assertBad("{\"type\":\"hello\",\"token\":5}", null, "\"token\" must be a non-empty string of at most 8192 characters");
    assertBad("{\"type\":\"hello\",\"resume\":{\"nonsense\":1}}", null, "\"resume\" key is not a stream: nonsense");
    assertBad("{\"type\":\"hello\",\"resume\":[1]}", null,
        "\"resume\" must be an object of stream to last seq or to {\"seq\", \"epoch\"}");
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":{\"seq\":1}}}", null,
        "\"resume.all.epoch\" must be the epoch string the server sent (at most 32 characters)");
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":{\"seq\":1,\"epoch\":7}}}", null,
        "\"resume.all.epoch\" must be the epoch string the server sent (at most 32 characters)");
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":{\"epoch\":\"7\"}}}", null, "\"resume.all.seq\" must be an integer seq");
    assertBad("{\"type\":\"ping\",\"ref\":{\"no\":1}}", null, "\"ref\" must be a string of at most 64 characters or an integer");
    assertBad("{\"type\":\"ping\",\"ref\":\"" + "r".repeat(65) + "\"}", null, null);
  }

  @Test
  void aResumeMapIsBounded() {
    StringBuilder big = new StringBuilder("{\"type\":\"hello\",\"resume\":{");
    for (int i = 0; i <= FrameParser.MAX_RESUME_ENTRIES; i++) {
      big.append(i == 0 ? "" : ",").append("\"room:r").append(i).append("\":1");
    }
    assertBad(big.append("}}").toString(), null, "\"resume\" has more than 1000 streams");
  }

  @Test
  void jsonIsReadWithinLimitsTiedToTheMessageSize() {
    JsonLimits limits = new JsonLimits(1024);
    String limited = "frame exceeds the JSON limits: nesting depth 32, strings of 1024 characters, numbers of 32 characters";
    String deep = "[".repeat(31) + "]".repeat(31);
    assertEquals(new ClientFrame.Send(null, "all", deep, null, false),
        FrameParser.parse("{\"type\":\"send\",\"to\":\"all\",\"body\":" + deep + "}", limits));
    assertBad("{\"type\":\"send\",\"to\":\"all\",\"body\":" + "[".repeat(32) + "]".repeat(32) + "}", limits, null, limited);
    // unterminated nesting is refused at the limit, not after reading it all
    assertBad("{\"a\":" + "{\"a\":".repeat(5000), limits, null, limited);
    assertBad("{\"type\":\"ping\",\"x\":\"" + "s".repeat(1025) + "\"}", limits, null, limited);
    assertBad("{\"type\":\"ping\",\"" + "k".repeat(1025) + "\":1}", limits, null, limited);
    assertBad("{\"type\":\"ping\",\"x\":1" + "0".repeat(40) + "}", limits, null, limited);
    assertBad("{\"type\":\"ping\",\"x\":1." + "0".repeat(40) + "}", limits, null, limited);
    assertBad("{\"type\":\"send\",\"to\":\"all\",\"body\":1e999}", limits, null, "a number is out of the range of a double");
    assertEquals(new ClientFrame.Send(null, "all", "12345678901234567890123456789012", null, false),
        FrameParser.parse("{\"type\":\"send\",\"to\":\"all\",\"body\":12345678901234567890123456789012}", limits));
    assertBad("{\"type\":\"ping\"} {}", limits, null, "frame is not a JSON object");
    assertBad("{\"type\":\"ping\"", limits, null, "frame is not a JSON object");
    assertBad("", limits, null, "frame is not a JSON object");
    assertBad("\"just a string\"", limits, null, "frame is not a JSON object");
  }

  @Test
  void wrongTypesAreRefusedWithTheirRef() {
    assertBad("{\"type\":7}", null, "missing \"type\"");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\",\"seq\":9007199254740992}", null,
        "\"seq\" must be an integer from 0 to 9007199254740991");
    assertBad("{\"type\":\"ack\",\"stream\":\"all\"}", null, "\"seq\" must be an integer seq");
    assertBad("{\"type\":\"ack\",\"stream\":5,\"seq\":1}", null, "\"stream\" must be a stream: user:<id>, room:<id> or all");
    assertBad("{\"type\":\"send\",\"ref\":\"q\",\"to\":[\"all\"],\"body\":1}", "q", "\"to\" must be a stream: user:<id>, room:<id> or all");
    assertBad("{\"type\":\"send\",\"ref\":\"q\",\"to\":\"planet:earth\",\"body\":1}", "q", "\"to\" must be a stream: user:<id>, room:<id> or all");
    assertBad("{\"type\":\"join\",\"ref\":\"q\",\"room\":{}}", "q", null);
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":\"5\"}}", null, "\"resume.all\" must be an integer seq");
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":-1}}", null, "\"resume.all\" must be an integer from 0 to 9007199254740991");
    assertBad("{\"type\":\"refresh\",\"token\":true}", null, "\"token\" must be a non-empty string of at most 8192 characters");
    assertBad("{\"type\":\"ping\",\"ref\":1.5}", null, "\"ref\" must be a string of at most 64 characters or an integer");
  }

  /** A stream name where a room id belongs used to land the client in another room (room:room:lobby). */
  @Test
  void aRoomIdThatIsAStreamNameIsRefusedNamingTheBareForm() {
    assertBad("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"room:lobby\"}", "j",
        "\"room\" is a room id such as lobby, not a stream name such as room:lobby");
    assertBad("{\"type\":\"leave\",\"ref\":2,\"room\":\"room:lobby\"}", 2,
        "\"room\" is a room id such as lobby, not a stream name such as room:lobby");
    assertBad("{\"type\":\"join\",\"room\":\"user:bob\"}", null,
        "\"room\" is a room id such as bob, not a stream name such as user:bob");
    // nothing usable after the prefix: the example is a made-up one
    assertBad("{\"type\":\"join\",\"room\":\"room:\"}", null,
        "\"room\" is a room id such as lobby, not a stream name such as room:lobby");
    // a colon elsewhere is part of the id
    assertEquals(new ClientFrame.Join(null, "team:42"), FrameParser.parse("{\"type\":\"join\",\"room\":\"team:42\"}"));
    assertEquals(new ClientFrame.Leave(null, "rooms:a"), FrameParser.parse("{\"type\":\"leave\",\"room\":\"rooms:a\"}"));
    assertEquals(new ClientFrame.Join(null, "Room:x"), FrameParser.parse("{\"type\":\"join\",\"room\":\"Room:x\"}"));
  }

  /** With the last of two keys winning, {"type":"ping","type":"send"} was read as a send. */
  @Test
  void duplicateKeysAreRefusedAtEveryLevel() {
    assertBad("{\"type\":\"ping\",\"type\":\"send\"}", null, "duplicate key \"type\": a key may appear once per object");
    assertBad("{\"type\":\"send\",\"ref\":\"a\",\"to\":\"all\",\"to\":\"user:x\",\"body\":1}", null,
        "duplicate key \"to\": a key may appear once per object");
    assertBad("{\"type\":\"send\",\"to\":\"all\",\"body\":{\"text\":\"a\",\"text\":\"b\"}}", null,
        "duplicate key \"text\": a key may appear once per object");
    assertBad("{\"type\":\"send\",\"to\":\"all\",\"body\":[1,{\"x\":{\"y\":1,\"y\":1}}]}", null,
        "duplicate key \"y\": a key may appear once per object");
    assertBad("{\"type\":\"hello\",\"resume\":{\"all\":1,\"all\":2}}", null,
        "duplicate key \"all\": a key may appear once per object");
    // the same key in different objects is fine
    assertEquals(new ClientFrame.Send(null, "all", "{\"type\":{\"type\":1},\"to\":[{\"to\":2},{\"to\":3}]}", null, false),
        FrameParser.parse("{\"type\":\"send\",\"to\":\"all\",\"body\":{\"type\":{\"type\":1},\"to\":[{\"to\":2},{\"to\":3}]}}"));
  }

  @Test
  void fieldNamesAClientChoosesAreNotKeptByTheParser() {
    // Jackson's default keeps every name it reads, shared by all parsers: resume maps name one
    // stream per user, so a node's table grew with its users and each lookup slowed down
    String first = JsonLimits.DEFAULT.readObject("{\"user:ann-1\":1}").fieldNames().iterator().next();
    String second = JsonLimits.DEFAULT.readObject("{\"user:ann-1\":2}").fieldNames().iterator().next();
    assertEquals(first, second);
    assertNotSame(first, second, "the parser handed out the name it kept from an earlier frame");
  }

  @Test
  void streamNames() {
    assertEquals(StreamName.Kind.USER, StreamName.kindOf("user:alice@example.com"));
    assertEquals(StreamName.Kind.ROOM, StreamName.kindOf("room:team:42"));
    assertEquals(StreamName.Kind.ALL, StreamName.kindOf("all"));
    assertNull(StreamName.kindOf("All"));
    assertNull(StreamName.kindOf("user:a b"));
    assertNull(StreamName.kindOf("room:" + "x".repeat(129)));
    assertNull(StreamName.kindOf("channel:x"));
    assertEquals(StreamName.Kind.ROOM, StreamName.kindOf("room:" + "x".repeat(128)));
    assertEquals(StreamName.Kind.USER, StreamName.kindOf("user:A-z_0.9:@|+="));
    assertNull(StreamName.kindOf("user:"));
    assertNull(StreamName.kindOf("room:{tag}"));
    assertNull(StreamName.kindOf("user:caf\u00e9"));
    assertNull(StreamName.kindOf("user:a/b"));
    assertTrue(StreamName.isValidId("bob"));
    assertFalse(StreamName.isValidId(""));
    assertFalse(StreamName.isValidId(null));
  }

  private static void assertBad(String text, Object ref, String message) {
    assertBad(text, JsonLimits.DEFAULT, ref, message);
  }

  private static void assertBad(String text, JsonLimits limits, Object ref, String message) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameParser.parse(text, limits));
    assertEquals(ErrorCode.BAD_REQUEST, e.code());
    assertEquals(ref, e.ref());
    if (message != null) {
      assertEquals(message, e.getMessage());
    }
    assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
  }
}
