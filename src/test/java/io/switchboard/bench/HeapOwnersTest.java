package io.switchboard.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The heap-dump attribution of the idle benchmark, on dumps of this very JVM. */
class HeapOwnersTest {

  static final int N = 3000;

  /** Stands for a connection's state: one array of its own, one string it holds. */
  static final class Holder {
    final byte[] buffer = new byte[100];
    final String name;

    Holder(int i) {
      name = "holder-name-" + i;
    }
  }

  @Test
  void chargesArraysAndStringsToTheObjectHoldingThem(@TempDir Path dir) throws Exception {
    HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    Path before = dir.resolve("before.hprof");
    Path after = dir.resolve("after.hprof");
    hotspot.dumpHeap(before.toString(), true);
    List<Holder> holders = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      holders.add(new Holder(i));
    }
    hotspot.dumpHeap(after.toString(), true);
    assertEquals(N, holders.size());

    JsonObject owners = HeapOwners.perConnection(before, after, N, 50);
    String holder = Holder.class.getName();
    // held directly: byte[100] (16-byte header + 100, aligned to 8) and the String (12 + 10, aligned)
    JsonObject own = row(owners, holder);
    assertNotNull(own, owners.encodePrettily());
    assertEquals(120.0 + 24.0, own.getDouble("bytesPerConnection"), 1.0, owners.encodePrettily());
    assertEquals(2.0, own.getDouble("objectsPerConnection"), 0.05);
    // one hop further: the string's bytes ("holder-name-1234", Latin-1), charged to the holder too
    JsonObject name = row(owners, holder + " ← java.lang.String");
    assertNotNull(name, owners.encodePrettily());
    assertEquals(1.0, name.getDouble("objectsPerConnection"), 0.05);
    assertEquals(32.0, name.getDouble("bytesPerConnection"), 1.0);
  }

  private static JsonObject row(JsonObject owners, String owner) {
    for (Object o : owners.getJsonArray("owners")) {
      if (((JsonObject) o).getString("owner").equals(owner)) {
        return (JsonObject) o;
      }
    }
    return null;
  }
}
