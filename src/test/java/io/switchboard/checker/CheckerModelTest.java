package io.switchboard.checker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference model against made-up histories: what a correct server sends passes, and each way
 * of breaking the guarantee is named by the rule it breaks. A checker that cried wolf, or stayed
 * quiet, would be worse than none.
 */
class CheckerModelTest {

  private final Model model = new Model(new Trace(), new Contract(3, EnumSet.noneOf(Check.class)));
  private final Device device = new Device(0, "bob", "phone", "bob/phone");

  private static JsonObject welcome(Object... streamHeadPairs) {
    JsonObject streams = new JsonObject();
    for (int i = 0; i < streamHeadPairs.length; i += 2) {
      streams.put((String) streamHeadPairs[i], new JsonObject().put("head", streamHeadPairs[i + 1]));
    }
    return new JsonObject().put("type", "welcome").put("user", "bob").put("streams", streams);
  }

  private static JsonObject message(String stream, long seq) {
    return new JsonObject().put("type", "message").put("stream", stream).put("seq", seq).put("id", "m" + seq)
        .put("from", "alice").put("body", "b" + seq);
  }

  private static JsonObject range(String type, String stream, long from, long to) {
    return new JsonObject().put("type", type).put("stream", stream).put("from", from).put("to", to);
  }

  private Set<Check> checks() {
    Set<Check> out = EnumSet.noneOf(Check.class);
    model.violations().forEach(v -> out.add(v.check()));
    return out;
  }

  private Conn resumed(Map<String, Position> resume) {
    Conn c = Conn.detached(1, device, model, resume, null);
    c.receive(welcome("user:bob", 0, "room:r", 5));
    return c;
  }

  @Test
  void aReplayThenLiveMessagesFromTheResumePositionPass() {
    Conn c = resumed(Map.of("room:r", new Position(3, null)));
    c.receive(range("resumed", "user:bob", 1, 0));
    c.receive(message("room:r", 4));
    c.receive(message("room:r", 5));
    c.receive(range("resumed", "room:r", 4, 5));
    c.receive(message("room:r", 6));
    assertEquals(Set.of(), checks(), () -> model.violations().toString());
    assertEquals(6, c.follows().get("room:r").delivered());
    assertEquals(new Position(6, null), device.positions().get("room:r"));
  }

  @Test
  void aSkippedSeqADuplicateAndAFrameBeforeWelcomeAreNamed() {
    Conn c = Conn.detached(1, device, model, Map.of("room:r", new Position(3, null)), null);
    c.receive(new JsonObject().put("type", "joined").put("ref", "j1").put("room", "x").put("head", 0));
    c.receive(welcome("user:bob", 0, "room:r", 5));
    c.receive(message("room:r", 5));
    c.receive(message("room:r", 5));
    assertEquals(EnumSet.of(Check.WELCOME_FIRST, Check.SKIP, Check.DUPLICATE), checks());
  }

  @Test
  void aGapMustStartAtThePositionAndHideNothingTheLogHolds() {
    Conn c = resumed(Map.of("room:r", new Position(3, null)));
    c.receive(range("gap", "room:r", 4, 4));
    c.receive(message("room:r", 5));
    assertEquals(Set.of(), checks());
    List<JsonObject> log = List.of(new JsonObject().put("seq", 4).put("id", "m4").put("from", "alice").put("body", "b4").put("ts", 1),
        new JsonObject().put("seq", 5).put("id", "m5").put("from", "alice").put("body", "b5").put("ts", 2));
    model.finish(Map.of("room:r", new Api.Log("room:r", 5, 4, null, log)));
    assertEquals(EnumSet.of(Check.GAP), checks());
  }

  @Test
  void aDeviceWithASureCursorMustNotStartAtTheHead() {
    device.cursorWrite("room:r", 3, -10_000);
    Conn c = Conn.detached(1, device, model, Map.of(), null);
    c.receive(welcome("user:bob", 0, "room:r", 5));
    c.receive(range("resumed", "room:r", 6, 5));
    assertEquals(EnumSet.of(Check.START), checks());
  }

  @Test
  void aCursorThatMayNotHaveLandedAllowsTheHead() {
    device.cursorWrite("room:r", 3, 0);
    Conn c = Conn.detached(1, device, model, Map.of(), null);
    c.receive(welcome("user:bob", 0, "room:r", 5));
    c.receive(range("resumed", "room:r", 6, 5));
    assertEquals(Set.of(), checks());
  }

  @Test
  void oneSeqGivenToTwoMessagesIsNamedAndSoIsASentTheLogContradicts() {
    Conn a = Conn.detached(1, device, model, Map.of(), null);
    a.receive(welcome("user:bob", 0));
    a.receive(message("user:bob", 1));
    model.seen("user:bob", null, 1, new Model.Seen("other", "carol", "x", "elsewhere", 0), null);
    assertTrue(checks().contains(Check.SEQ_REUSED));
    model.sent(new Model.SentAnswer("dave", null, "user:bob", 1, null, "d1", 0));
    List<JsonObject> log = List.of(new JsonObject().put("seq", 1).put("id", "m1").put("from", "alice").put("body", "b1").put("ts", 1));
    model.finish(Map.of("user:bob", new Api.Log("user:bob", 1, 1, null, log)));
    assertTrue(checks().contains(Check.SENT));
  }

  @Test
  void withEpochsAResumeFromAnotherHistoryNeedsAReset() {
    JsonObject w = new JsonObject().put("type", "welcome").put("streams", new JsonObject()
        .put("room:r", new JsonObject().put("head", 2).put("epoch", "200")));
    Conn good = Conn.detached(1, device, model, Map.of("room:r", new Position(7, "100")), null);
    good.receive(w);
    good.receive(new JsonObject().put("type", "reset").put("stream", "room:r").put("epoch", "200"));
    good.receive(message("room:r", 1));
    good.receive(message("room:r", 2));
    good.receive(range("resumed", "room:r", 1, 2));
    assertEquals(Set.of(), checks(), () -> model.violations().toString());
    Conn bad = Conn.detached(2, device, model, Map.of("room:r", new Position(7, "100")), null);
    bad.receive(w);
    bad.receive(message("room:r", 1));
    assertEquals(EnumSet.of(Check.SKIP), checks());
  }

  @Test
  void aRoomTheTokenDoesNotNameIsNotToBeFollowed() {
    Conn c = Conn.detached(1, device, model, Map.of(), Set.of("a"));
    c.receive(new JsonObject().put("type", "welcome").put("streams", new JsonObject()
        .put("room:a", new JsonObject().put("head", 0)).put("room:b", new JsonObject().put("head", 0))
        .put("user:bob", new JsonObject().put("head", 0)).put("all", new JsonObject().put("online", new JsonArray()))));
    assertEquals(EnumSet.of(Check.FOLLOW), checks());
  }
}
