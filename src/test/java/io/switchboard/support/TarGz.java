package io.switchboard.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a gzipped tar archive (an npm package) into its entries, so that tests compare packages
 * without a tar tool: ustar headers, with a pax {@code path} record or a GNU long name overriding the
 * next entry's name. A directory entry is kept, as its name with a trailing slash and no content.
 */
public final class TarGz {

  private static final int BLOCK = 512;

  private TarGz() {
  }

  /** Entry name to content, in archive order. */
  public static Map<String, byte[]> entries(byte[] tgz) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
      String longName = null;
      while (true) {
        byte[] header = in.readNBytes(BLOCK);
        if (header.length < BLOCK || isZero(header)) {
          return entries;
        }
        char type = (char) header[156];
        String sizeField = field(header, 124, 12).trim();
        long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
        byte[] content = in.readNBytes((int) size);
        in.readNBytes((int) ((BLOCK - size % BLOCK) % BLOCK));
        if (type == 'x') {
          longName = paxPath(content);
          continue;
        }
        if (type == 'L') {
          longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
          continue;
        }
        if (type == 'g') {
          continue;
        }
        String name = longName != null ? longName : ustarName(header);
        longName = null;
        entries.put(name, type == '5' ? new byte[0] : content);
      }
    }
  }

  private static String ustarName(byte[] header) {
    String name = field(header, 0, 100);
    String prefix = field(header, 257, 6).startsWith("ustar") ? field(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  /** The {@code path} of pax records ({@code "<len> path=<value>\n"}), or null. */
  private static String paxPath(byte[] records) {
    for (String record : new String(records, StandardCharsets.UTF_8).split("\n")) {
      int eq = record.indexOf(" path=");
      if (eq >= 0) {
        return record.substring(eq + " path=".length());
      }
    }
    return null;
  }

  private static String field(byte[] header, int offset, int length) {
    String s = new String(header, offset, length, StandardCharsets.UTF_8);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  private static boolean isZero(byte[] block) {
    return Arrays.equals(block, new byte[BLOCK]);
  }
}
