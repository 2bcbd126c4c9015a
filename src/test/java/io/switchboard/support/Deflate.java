package io.switchboard.support;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/** A client's half of permessage-deflate (RFC 7692 7.2.1), for tests that build compressed frames by hand. */
public final class Deflate {

  private Deflate() {
  }

  /** A whole message: sync-flushed, without the 00 00 ff ff tail that the receiver adds back. */
  public static byte[] message(Deflater deflater, byte[] data) {
    byte[] all = flush(deflater, data);
    // zlib flushes nothing for no input after a flush: an empty stored block says "empty" (RFC 7692 7.2.3.6)
    return all.length < 4 ? new byte[] {0} : Arrays.copyOf(all, all.length - 4);
  }

  /** A fragment that does not end its message: sync-flushed, tail kept. */
  public static byte[] flush(Deflater deflater, byte[] data) {
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int i = 0; i < 1_000_000; i++) {
      int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      out.write(buf, 0, n);
      if (n < buf.length && deflater.needsInput()) {
        break;
      }
    }
    return out.toByteArray();
  }
}
