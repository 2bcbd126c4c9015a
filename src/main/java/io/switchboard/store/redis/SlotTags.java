package io.switchboard.store.redis;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key-to-slot rule, and for every slot a short hash tag that lands in it. A script
 * may only touch keys of one slot; with these tags, a key shared by every stream of a slot (the
 * webhook outbox) can sit beside each stream's own keys, and there are at most {@link #SLOTS} of
 * them to look through.
 */
final class SlotTags {

  static final int SLOTS = 16384;

  /** Found once, the same on every node: the first of {@code o0, o1, ...} (base 36) that lands in each slot. */
  private static final String[] TAGS = tags();

  private SlotTags() {
  }

  /** The slot of a key: CRC16 of its hash tag (the text inside its first {@code {...}}, if not empty) or of the whole key. */
  static int slot(String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int start = 0;
    int end = bytes.length;
    int open = indexOf(bytes, (byte) '{', 0);
    if (open >= 0) {
      int close = indexOf(bytes, (byte) '}', open + 1);
      if (close > open + 1) {
        start = open + 1;
        end = close;
      }
    }
    return crc16(bytes, start, end) & (SLOTS - 1);
  }

  /** A hash tag whose keys live in {@code slot}. */
  static String tag(int slot) {
    return TAGS[slot];
  }

  private static String[] tags() {
    String[] tags = new String[SLOTS];
    int found = 0;
    for (long i = 0; found < SLOTS; i++) {
      String candidate = "o" + Long.toString(i, 36);
      int slot = slot("{" + candidate + "}");
      if (tags[slot] == null) {
        tags[slot] = candidate;
        found++;
      }
    }
    return tags;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** CRC-16/XMODEM (polynomial 0x1021, initial 0), the variant Redis Cluster uses. */
  private static int crc16(byte[] bytes, int from, int to) {
    int crc = 0;
    for (int i = from; i < to; i++) {
      crc ^= (bytes[i] & 0xff) << 8;
      for (int bit = 0; bit < 8; bit++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
      crc &= 0xffff;
    }
    return crc;
  }
}
