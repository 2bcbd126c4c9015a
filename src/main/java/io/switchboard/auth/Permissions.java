package io.switchboard.auth;

import io.switchboard.protocol.StreamName;

import java.util.List;

/** The authorization rules of DESIGN.md ("Auth and trust"), in one place. */
public final class Permissions {

  /** Pseudo-pattern in the {@code send} claim: any room the sender is a member of. */
  public static final String MEMBER_ROOMS = "@rooms";
  /** Applies when a token has no {@code send} claim: direct messages and the rooms one belongs to. */
  public static final List<String> DEFAULT_SEND = List.of("user:*", MEMBER_ROOMS);

  private Permissions() {
  }

  public static boolean canJoin(Claims claims, String room) {
    return claims.rooms().stream().anyMatch(p -> p.matches(room));
  }

  /** @param member whether the sender is a member of {@code stream} (only consulted for rooms) */
  public static boolean canSend(Claims claims, String stream, boolean member) {
    StreamName.Kind kind = StreamName.kindOf(stream);
    if (kind == StreamName.Kind.ALL) {
      return claims.broadcast();
    }
    for (GlobPattern p : claims.send()) {
      if (p.toString().equals(MEMBER_ROOMS) ? kind == StreamName.Kind.ROOM && member : p.matches(stream)) {
        return true;
      }
    }
    return false;
  }
}
