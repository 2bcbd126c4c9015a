package io.switchboard.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PermissionsTest {

  @Test
  void globPatterns() {
    assertTrue(new GlobPattern("*").matches(""));
    assertTrue(new GlobPattern("*").matches("anything"));
    assertTrue(new GlobPattern("team-*").matches("team-42"));
    assertFalse(new GlobPattern("team-*").matches("teams"));
    assertTrue(new GlobPattern("a?c").matches("abc"));
    assertFalse(new GlobPattern("a?c").matches("ac"));
    assertTrue(new GlobPattern("*-admin-*").matches("eu-admin-2"));
    assertFalse(new GlobPattern("lobby").matches("lobby2"));
    assertTrue(new GlobPattern("a*b*c").matches("aXXbYYbZc"));
    assertFalse(new GlobPattern("a*b*c").matches("aXXbYY"));
  }

  @Test
  void defaultRulesAllowDirectMessagesAndMemberRoomsButNotBroadcast() {
    Claims c = ClaimsJson.read(new JsonObject().put("sub", "alice"), null);
    assertTrue(Permissions.canSend(c, "user:bob", false));
    assertTrue(Permissions.canSend(c, "room:x", true));
    assertFalse(Permissions.canSend(c, "room:x", false));
    assertFalse(Permissions.canSend(c, "all", false));
    assertFalse(Permissions.canJoin(c, "lobby"), "no rooms claim: no joins");
    assertEquals(0, c.expiresAtMs());
  }

  @Test
  void claimsNarrowOrWidenTheRules() {
    Claims c = ClaimsJson.read(new JsonObject().put("sub", "bot")
        .put("send", new JsonArray().add("room:announce-*").add("@rooms"))
        .put("rooms", "support-*")
        .put("broadcast", true), 1_700_000_000L);
    assertTrue(Permissions.canSend(c, "room:announce-eu", false));
    assertTrue(Permissions.canSend(c, "room:other", true));
    assertFalse(Permissions.canSend(c, "room:other", false));
    assertFalse(Permissions.canSend(c, "user:bob", false));
    assertTrue(Permissions.canSend(c, "all", false));
    assertTrue(Permissions.canJoin(c, "support-7"));
    assertEquals(1_700_000_000_000L, c.expiresAtMs());
  }

  @Test
  void malformedClaimsRejectTheToken() {
    assertThrows(AuthException.class, () -> ClaimsJson.read(new JsonObject(), null));
    assertThrows(AuthException.class, () -> ClaimsJson.read(new JsonObject().put("sub", 42), null));
    assertThrows(AuthException.class, () -> ClaimsJson.read(new JsonObject().put("sub", "a").put("rooms", 1), null));
    assertThrows(AuthException.class, () -> ClaimsJson.read(new JsonObject().put("sub", "a").put("send", new JsonArray().add(1)), null));
    assertThrows(AuthException.class, () -> ClaimsJson.read(new JsonObject().put("sub", "a").put("broadcast", "yes"), null));
  }
}
