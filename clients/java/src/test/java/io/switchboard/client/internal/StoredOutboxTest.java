package io.switchboard.client.internal;

import io.switchboard.client.Completion;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class StoredOutboxTest {

  private static Op send(String id, Object body, boolean durable) {
    JSONObject f = new JSONObject().put("type", "send").put("to", "room:lobby").put("body", body).put("id", id);
    return new Op(Op.SEND, f, durable, durable, id, new Completion<>(new Dispatcher(Runnable::run)), "alice");
  }

  @Test
  void keepsDurableSendsWithTheirIdBodyAndFirstTransmission() throws Exception {
    Op a = send("a-1", new JSONObject().put("text", "hi \"there\""), true);
    a.firstSentWall = 1796000000000L;
    Op b = send("b-2", "plain", true);
    Op typing = send(null, "typing", false);
    List<StoredOutbox.Entry> back = StoredOutbox.read(StoredOutbox.write(Arrays.asList(a, typing, b)));
    assertEquals(2, back.size(), "transient sends are never stored");
    assertEquals("a-1", back.get(0).id);
    assertEquals("room:lobby", back.get(0).to);
    assertEquals("hi \"there\"", ((JSONObject) Json.parseValue(back.get(0).bodyJson)).getString("text"));
    assertEquals(1796000000000L, back.get(0).firstSentWall);
    assertEquals("alice", back.get(0).user);
    assertEquals("plain", Json.parseValue(back.get(1).bodyJson));
    assertEquals(0, back.get(1).firstSentWall);
  }

  @Test
  void anEmptyOutboxRemovesTheKey() {
    assertNull(StoredOutbox.write(Arrays.asList(send(null, "t", false))));
    assertEquals(0, StoredOutbox.read(null).size());
    assertEquals(0, StoredOutbox.read("{\"v\":1,\"sends\":[{\"id\":\"x\"}]}").size(), "an entry without to or body is dropped");
  }
}
