package io.switchboard.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.FileOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileStoreTest {

  @TempDir
  File dir;

  @Test
  void aValueOutlivesTheStoreObject() throws Exception {
    new FileStore(new File(dir, "sb")).put("switchboard:phone-1:outbox", "{\"v\":1,\"sends\":[]}");
    assertEquals("{\"v\":1,\"sends\":[]}", new FileStore(new File(dir, "sb")).get("switchboard:phone-1:outbox"));
  }

  @Test
  void keysWithAnyCharacterDoNotCollide() throws Exception {
    FileStore s = new FileStore(dir);
    s.put("a:b", "1");
    s.put("a/b", "2");
    s.put("a_b", "3");
    s.put("ä b", "4");
    assertEquals("1", s.get("a:b"));
    assertEquals("2", s.get("a/b"));
    assertEquals("3", s.get("a_b"));
    assertEquals("4", s.get("ä b"));
    for (File f : dir.listFiles()) {
      assertTrue(f.getParentFile().equals(dir), "no key escapes the directory: " + f);
    }
  }

  @Test
  void nullRemoves() throws Exception {
    FileStore s = new FileStore(dir);
    s.put("k", "v");
    s.put("k", null);
    assertNull(s.get("k"));
    s.put("never-there", null);
  }

  /** A kill between writing the temporary file and the rename leaves the old value, whole. */
  @Test
  void aWriteCutShortLeavesTheOldValue() throws Exception {
    FileStore s = new FileStore(dir);
    s.put("k", "old");
    File[] files = dir.listFiles();
    File tmp = new File(dir, files[0].getName() + ".tmp");
    try (FileOutputStream out = new FileOutputStream(tmp)) {
      out.write("{\"half".getBytes("UTF-8"));
    }
    assertEquals("old", s.get("k"));
    s.put("k", "new");
    assertEquals("new", s.get("k"));
  }
}
