package io.switchboard.store.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slot rule itself is checked against a real cluster's CLUSTER KEYSLOT in RedisClusterStoreTest. */
class SlotTagsTest {

  @Test
  void everySlotHasATagThatLandsInIt() {
    for (int slot = 0; slot < SlotTags.SLOTS; slot++) {
      String tag = SlotTags.tag(slot);
      assertEquals(slot, SlotTags.slot("sb:{" + tag + "}:outbox"), tag);
      assertTrue(tag.length() <= 5 && tag.indexOf('{') < 0 && tag.indexOf('}') < 0, tag);
    }
  }

  @Test
  void aStreamsOutboxSharesItsSlot() {
    for (String stream : new String[] {"user:bob", "room:lobby", "all", "user:ünïcødé:1", "room:a}b"}) {
      assertEquals(SlotTags.slot(Keys.log(stream)), SlotTags.slot(Keys.outbox(stream, true)), stream);
    }
  }
}
