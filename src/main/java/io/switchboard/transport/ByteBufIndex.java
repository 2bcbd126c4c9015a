package io.switchboard.transport;

import io.netty.buffer.ByteBuf;

/** Finding a byte sequence in a buffer without copying it. */
final class ByteBufIndex {

  private ByteBufIndex() {
  }

  /** Offset from the reader index of the first occurrence of {@code needle}, or -1. */
  static int indexOf(ByteBuf haystack, byte[] needle) {
    int start = haystack.readerIndex();
    int last = haystack.writerIndex() - needle.length;
    outer:
    for (int i = start; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i - start;
    }
    return -1;
  }
}
