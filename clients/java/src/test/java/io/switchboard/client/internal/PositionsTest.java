package io.switchboard.client.internal;

import io.switchboard.client.Position;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored format is the JavaScript client's (v2), so both read what the other wrote. */
class PositionsTest {

  @Test
  void storesTheDurableCopyInTheJsClientsFormat() {
    Positions p = new Positions();
    p.user = "alice";
    p.live.put("user:alice", new Position(9, "e1"));
    p.setDurable("user:alice", new Position(7, "e1"));
    p.setDurable("room:lobby", new Position(0, ""));
    p.setDurable("all", new Position(3, null));
    JSONObject v = new JSONObject(p.toStored(1234));
    assertEquals(2, v.getInt("v"));
    assertEquals("alice", v.getString("user"));
    assertEquals(7, v.getJSONObject("seqs").getLong("user:alice"), "what the app processed, not what arrived");
    assertEquals("e1", v.getJSONObject("epochs").getString("user:alice"));
    assertEquals("", v.getJSONObject("epochs").getString("room:lobby"));
    assertFalse(v.getJSONObject("epochs").has("all"), "no epoch known: a bare seq");
    assertEquals(1234, v.getLong("at"));
  }

  @Test
  void readsBothVersionsAndDropsWhatTheNodeWouldRefuse() {
    Positions p = new Positions();
    long at = p.fromStored("{\"v\":2,\"user\":\"bob\",\"seqs\":{\"user:bob\":4,\"room:x\":2,\"bogus\":1,\"all\":-1},"
        + "\"epochs\":{\"user:bob\":\"e9\",\"room:x\":\"" + "x".repeat(40) + "\"},\"at\":99}");
    assertEquals(99, at);
    assertEquals("bob", p.user);
    assertEquals(new Position(4, "e9"), p.live.get("user:bob"));
    assertEquals(new Position(2, null), p.live.get("room:x"), "an epoch over 32 characters is dropped");
    assertFalse(p.live.containsKey("bogus"));
    assertFalse(p.live.containsKey("all"));
    assertEquals(p.live, p.durable);

    Positions v1 = new Positions();
    v1.fromStored("{\"v\":1,\"seqs\":{\"user:bob\":4},\"epochs\":{\"user:bob\":\"ignored\"}}");
    assertEquals(new Position(4, null), v1.live.get("user:bob"), "version 1 had bare seqs");

    JSONObject resume = v1.resumeMap();
    assertEquals(4, resume.getLong("user:bob"), "a bare seq resumes as a bare seq");
    JSONObject withEpoch = p.resumeMap().getJSONObject("user:bob");
    assertEquals(4, withEpoch.getLong("seq"));
    assertEquals("e9", withEpoch.getString("epoch"));
  }

  @Test
  void anotherUsersPositionsAreNotResumed() {
    Positions p = new Positions();
    p.fromStored("{\"v\":2,\"user\":\"bob\",\"seqs\":{\"room:x\":5},\"epochs\":{}}");
    p.forUser("bob");
    assertTrue(p.live.containsKey("room:x"));
    p.forUser("carol");
    assertTrue(p.live.isEmpty() && p.durable.isEmpty());
    assertEquals("carol", p.user);
  }

  @Test
  void unreadableValuesStartAfresh() {
    Positions p = new Positions();
    assertEquals(0, p.fromStored("{not json"));
    assertEquals(0, p.fromStored(null));
    assertTrue(p.live.isEmpty());
  }
}
