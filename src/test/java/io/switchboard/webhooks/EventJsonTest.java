package io.switchboard.webhooks;

import io.switchboard.store.StoredMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events' JSON as docs/webhooks.md shows it, and the retry waits it documents. */
class EventJsonTest {

  private static final StoredMessage TO_BOB = new StoredMessage("user:bob", 57, 1796100000000000L, "m-8f2c", "alice",
      "{\"text\":\"Are we still on for dinner tonight?\",\"kind\":\"chat\"}", 1796104800120L);

  @Test
  void undeliveredCarriesThePositionTheSenderAndAPreviewOfTheText() {
    JsonObject e = EventJson.undelivered(TO_BOB, "offline", List.of("phone"), 29, false, 1796104800123L);
    assertEquals("message.undelivered", e.getString("type"));
    assertTrue(e.getString("id").matches("evt_[A-Za-z0-9_-]{16}"), e.getString("id"));
    assertEquals(1796104800123L, e.getLong("time"));
    assertEquals("user:bob", e.getString("stream"));
    assertEquals("1796100000000000", e.getString("epoch"), "the protocol's opaque epoch string");
    assertEquals(57L, e.getLong("seq"));
    assertEquals(new JsonObject().put("messageId", "m-8f2c").put("from", "alice").put("ts", 1796104800120L)
        .put("user", "bob").put("reason", "offline").put("devices", new JsonArray().add("phone"))
        .put("preview", "Are we still on for dinner to"), e.getJsonObject("data"));
  }

  /** Made again for the same message (a node recovering another's outbox note), an event has the same id. */
  @Test
  void aMessagesEventHasOneIdPerTypeWhoeverMakesIt() {
    String id = EventJson.undelivered(TO_BOB, "offline", List.of("phone"), 29, false, 1).getString("id");
    assertEquals(id, EventJson.undelivered(TO_BOB, "unacked", List.of(), 0, true, 2).getString("id"));
    assertNotEquals(id, EventJson.stored(TO_BOB, 1).getString("id"), "another type");
    StoredMessage next = new StoredMessage("user:bob", 58, TO_BOB.epoch(), "m-8f2d", "alice", "1", 3);
    StoredMessage otherEpoch = new StoredMessage("user:bob", 57, TO_BOB.epoch() + 1, "m-8f2c", "alice", "1", 3);
    StoredMessage otherStream = new StoredMessage("user:bo", 57, TO_BOB.epoch(), "m-8f2c", "alice", "1", 3);
    for (StoredMessage other : List.of(next, otherEpoch, otherStream)) {
      assertNotEquals(id, EventJson.undelivered(other, "offline", List.of(), 0, false, 1).getString("id"), other.toString());
    }
    assertNotEquals(EventJson.presence("presence.online", "bob", 1).getString("id"),
        EventJson.presence("presence.online", "bob", 1).getString("id"), "events that are not about a message: one id each");
  }

  @Test
  void aBodyTheLogNoLongerHeldIsNullWithAnEmptyPreview() {
    StoredMessage gone = new StoredMessage("user:bob", 57, 5, "m-1", "alice", null, 9);
    JsonObject data = EventJson.undelivered(gone, "offline", List.of(), 10, true, 0).getJsonObject("data");
    assertEquals("", data.getString("preview"));
    assertTrue(data.containsKey("body") && data.getValue("body") == null);
  }

  @Test
  void theBodyOnlyWhenAskedAndNoPreviewAtZero() {
    JsonObject data = EventJson.undelivered(TO_BOB, "unacked", List.of("phone"), 0, true, 0).getJsonObject("data");
    assertFalse(data.containsKey("preview"));
    assertEquals("chat", data.getJsonObject("body").getString("kind"));
  }

  @Test
  void thePreviewIsAStringBodyOrTheTextFieldOrTheJsonAndNeverHalfACharacter() {
    assertEquals("hello", EventJson.preview("\"hello\"", 10));
    assertEquals("hi", EventJson.preview("{\"text\":\"hi\",\"n\":1}", 10));
    assertEquals("{\"n\":1}", EventJson.preview("{\"n\":1}", 10));
    assertEquals("[1,2", EventJson.preview("[1,2,3]", 4));
    assertEquals("a", EventJson.preview("\"a\uD83D\uDE00b\"", 2), "a surrogate pair is not cut in half");
  }

  @Test
  void storedCarriesTheBodyAsJson() {
    JsonObject e = EventJson.stored(new StoredMessage("room:lobby", 1208, 5, "m-1", "alice", "[1,{\"a\":true}]", 9), 10);
    assertEquals("message.stored", e.getString("type"));
    assertEquals(1208L, e.getLong("seq"));
    assertEquals(true, e.getJsonObject("data").getJsonArray("body").getJsonObject(1).getBoolean("a"));
  }

  @Test
  void retriesWaitAtRandomUpToADoublingCeiling() {
    Backoff backoff = new Backoff(1_000, 60_000);
    assertEquals(1_000, backoff.ceiling(1));
    assertEquals(2_000, backoff.ceiling(2));
    assertEquals(32_000, backoff.ceiling(6));
    assertEquals(60_000, backoff.ceiling(7));
    assertEquals(60_000, backoff.ceiling(1_000), "no overflow however long it retries");
    for (int i = 0; i < 1000; i++) {
      long d = backoff.delay(3);
      assertTrue(d >= 0 && d <= 4_000, String.valueOf(d));
    }
  }
}
