package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A builder is a template: what is set on it after build() does not reach the clients already built. */
class BuilderTest {

  @Test
  void settingsChangedAfterBuildDoNotReachTheBuiltClient() throws Exception {
    SwitchboardClient.Builder builder = SwitchboardClient.builder("ws://127.0.0.1:9/ws").token("t").maxQueue(1);
    SwitchboardClient first = builder.build();
    builder.maxQueue(2);
    SwitchboardClient second = builder.build();
    try {
      // never connected: sends wait in the outbox, up to maxQueue
      Completion<Sent> queued = first.send("user:bob", "one");
      SwitchboardException full = assertThrows(SwitchboardException.class,
          () -> first.send("user:bob", "two").await(10, TimeUnit.SECONDS));
      assertEquals(ErrorCode.QUEUE_FULL, full.getCode(), "the first client keeps maxQueue 1");
      assertTrue(!queued.isDone(), "the first send waits for a connection");

      Completion<Sent> a = second.send("user:bob", "one");
      Completion<Sent> b = second.send("user:bob", "two");
      assertTrue(!a.isDone() && !b.isDone(), "the second client has maxQueue 2 and its own outbox");
    } finally {
      first.close().await(10, TimeUnit.SECONDS);
      second.close().await(10, TimeUnit.SECONDS);
    }
  }
}
