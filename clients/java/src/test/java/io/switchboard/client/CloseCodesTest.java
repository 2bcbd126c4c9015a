package io.switchboard.client;

import org.junit.jupiter.api.Test;

import static io.switchboard.client.CloseCodes.Action.HINT;
import static io.switchboard.client.CloseCodes.Action.NEVER;
import static io.switchboard.client.CloseCodes.Action.RETRY;
import static io.switchboard.client.CloseCodes.Action.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/protocol.md, "Rules for clients" 1 and the close code table. */
class CloseCodesTest {

  @Test
  void reconnectsAfterTheRetryableCodes() {
    for (int code : new int[] {0, 1001, 1005, 1006, 1011, 1013, 4408, 4429}) {
      assertEquals(RETRY, CloseCodes.action(code), "close " + code);
    }
  }

  @Test
  void waitsForTheHintAfterARestart() {
    assertEquals(HINT, CloseCodes.action(1012));
  }

  @Test
  void needsAFreshTokenAfter4401() {
    assertEquals(TOKEN, CloseCodes.action(4401));
  }

  @Test
  void stopsAfterTheFinalCodesAndUnknownOnes() {
    for (int code : new int[] {1000, 1002, 1003, 1007, 1009, 4400, 4403, 4000, 4999, 3000}) {
      assertEquals(NEVER, CloseCodes.action(code), "close " + code);
    }
  }
}
