package io.switchboard.routing;

import io.switchboard.protocol.CloseCode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ControlEventTest {

  /** The kinds a node knew before one-session kicks: it reads "k" with their valueOf. */
  enum KindsBeforeSessionKicks { JOINED, LEFT, KICK }

  @Test
  void aKickOfOneSessionIsNotReadAsAKickOfAllByANodeThatDoesNotKnowIt() {
    String json = ControlEvent.kick("bob", "node-a.0.1f", CloseCode.SERVICE_RESTART, "moved").toJson();
    String kind = new JsonObject(json).getString("k");
    assertThrows(IllegalArgumentException.class, () -> KindsBeforeSessionKicks.valueOf(kind),
        "an earlier node must skip it, not close every session of bob");

    ControlEvent read = ControlEvent.fromJson(json, 7);
    assertEquals(ControlEvent.Kind.KICK, read.kind());
    assertEquals("node-a.0.1f", read.session());
    assertEquals(CloseCode.SERVICE_RESTART, read.code());
    assertEquals("moved", read.reason());
  }

  @Test
  void aKickOfAllAndMembershipChangesKeepTheNamesEveryNodeKnows() {
    for (ControlEvent e : List.of(ControlEvent.kick("bob", "suspended"),
        ControlEvent.left("bob", "lobby", null))) {
      String kind = new JsonObject(e.toJson()).getString("k");
      assertEquals(e.kind().name(), KindsBeforeSessionKicks.valueOf(kind).name());
    }
    ControlEvent all = ControlEvent.fromJson(ControlEvent.kick("bob", "suspended").toJson(), 1);
    assertNull(all.session());
    assertEquals(CloseCode.FORBIDDEN, all.code());
  }
}
