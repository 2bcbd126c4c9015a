package io.switchboard.client;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;

/**
 * A {@link ClientStore} of one file per key in a directory, for the JVM (and usable on Android with
 * {@code context.getFilesDir()}). A write goes to a temporary file, is synced to the disk, then
 * renamed over the old one, so a kill at any instant leaves either the old value or the new one.
 */
public final class FileStore implements ClientStore {
  private static final Charset UTF8 = Charset.forName("UTF-8");

  private final File dir;

  public FileStore(File dir) {
    if (dir == null) {
      throw new IllegalArgumentException("dir is null");
    }
    this.dir = dir;
  }

  @Override
  public synchronized String get(String key) throws IOException {
    File f = file(key);
    InputStream in;
    try {
      in = new FileInputStream(f);
    } catch (FileNotFoundException e) {
      return null;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), UTF8);
    } finally {
      in.close();
    }
  }

  @Override
  public synchronized void put(String key, String value) throws IOException {
    File f = file(key);
    if (value == null) {
      if (f.exists() && !f.delete()) {
        throw new IOException("could not delete " + f);
      }
      return;
    }
    if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
      throw new IOException("could not create " + dir);
    }
    File tmp = new File(dir, f.getName() + ".tmp");
    FileOutputStream out = new FileOutputStream(tmp);
    try {
      out.write(value.getBytes(UTF8));
      out.flush();
      out.getFD().sync();
    } finally {
      out.close();
    }
    if (!tmp.renameTo(f)) {
      // renameTo does not replace an existing file everywhere (Windows): the old value goes first
      if (!f.delete() || !tmp.renameTo(f)) {
        throw new IOException("could not replace " + f);
      }
    }
  }

  /** Keys may hold any character: the file name keeps letters, digits, '-', '_' and '.', hex-escapes the rest. */
  private File file(String key) {
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.') {
        name.append(c);
      } else {
        name.append('%').append(Integer.toHexString(c));
      }
    }
    return new File(dir, name.append(".json").toString());
  }
}
