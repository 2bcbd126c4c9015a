package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who holds the byte arrays, strings and JDK collections of a heap, which a class histogram cannot
 * say: reads an HPROF heap dump (jcmd GC.heap_dump), gives every object the first object found
 * referring to it, and charges each "anonymous" object (an array, or a class of java.*) to its
 * nearest ancestor that is not anonymous. The difference of two dumps divided by the connections
 * opened in between is what one connection holds, by owner.
 *
 * <p>Sizes are shallow estimates for a 64-bit JVM with compressed references (12-byte object
 * header, 16-byte array header, 4-byte references, 8-byte alignment); "first referrer" is not the
 * dominator, but objects shared by many connections do not grow with them and cancel out in the
 * difference.
 */
final class HeapOwners {

  private static final int MAX_HOPS = 12;

  private final Map<Long, String> strings = new HashMap<>();
  private final Map<Long, String> classNames = new HashMap<>();
  /** class id → {super class id, field types...} of the instance fields the class itself declares */
  private final Map<Long, long[]> classes = new HashMap<>();
  /** class id → bytes of the instance fields the class itself declares */
  private final Map<Long, Integer> fieldBytes = new HashMap<>();
  private final Map<Long, Long> classOf = new HashMap<>();
  private final Map<Long, Integer> sizeOf = new HashMap<>();
  private final Map<Long, Long> parentOf = new HashMap<>();
  private final Map<Long, String> arrayClass = new HashMap<>();
  private int idSize;

  private HeapOwners() {
  }

  /** Bytes per connection by owner ("owner ← holder" rows), largest first, the top {@code rows}. */
  static JsonObject perConnection(Path before, Path after, long connections, int rows) throws IOException {
    Map<String, long[]> b = read(before).owners();
    Map<String, long[]> a = read(after).owners();
    List<Object[]> diff = new ArrayList<>();
    double total = 0;
    for (Map.Entry<String, long[]> e : a.entrySet()) {
      long[] was = b.getOrDefault(e.getKey(), new long[2]);
      double bytes = (e.getValue()[0] - was[0]) / (double) connections;
      double count = (e.getValue()[1] - was[1]) / (double) connections;
      total += bytes;
      diff.add(new Object[] {e.getKey(), bytes, count});
    }
    diff.sort((x, y) -> Double.compare((double) y[1], (double) x[1]));
    JsonArray top = new JsonArray();
    for (Object[] d : diff.subList(0, Math.min(rows, diff.size()))) {
      top.add(new JsonObject().put("owner", d[0]).put("bytesPerConnection", Math.round((double) d[1] * 10) / 10.0)
          .put("objectsPerConnection", Math.round((double) d[2] * 10) / 10.0));
    }
    return new JsonObject().put("anonymousBytesPerConnection", Math.round(total * 10) / 10.0).put("owners", top);
  }

  static HeapOwners read(Path dump) throws IOException {
    HeapOwners h = new HeapOwners();
    // class layouts may come after the instances that need them: classes first, then objects
    h.scan(dump, true);
    h.scan(dump, false);
    return h;
  }

  /** Shallow bytes and object count of anonymous objects, by "owner ← immediate holder" class. */
  Map<String, long[]> owners() {
    Map<String, long[]> out = new HashMap<>();
    for (Map.Entry<Long, Integer> e : sizeOf.entrySet()) {
      long id = e.getKey();
      String name = name(id);
      if (!anonymous(name)) {
        continue;
      }
      Long parent = parentOf.get(id);
      String holder = parent == null ? "(root)" : name(parent);
      String owner = holder;
      Long at = parent;
      for (int hop = 0; at != null && anonymous(owner) && hop < MAX_HOPS; hop++) {
        at = parentOf.get(at);
        owner = at == null ? owner : name(at);
      }
      String key = owner.equals(holder) ? owner : owner + " ← " + holder;
      long[] v = out.computeIfAbsent(key, k -> new long[2]);
      v[0] += e.getValue();
      v[1]++;
    }
    return out;
  }

  private String name(long id) {
    String array = arrayClass.get(id);
    if (array != null) {
      return array;
    }
    Long c = classOf.get(id);
    if (c == null) {
      String cls = classNames.get(id);
      return cls == null ? "?" : "static of " + cls;
    }
    return classNames.getOrDefault(c, "?");
  }

  private static boolean anonymous(String name) {
    return name.endsWith("[]") || name.startsWith("java.") || name.equals("?");
  }

  private void scan(Path dump, boolean classPass) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dump), 1 << 20))) {
      while (in.readByte() != 0) {
        // "JAVA PROFILE 1.0.2"
      }
      idSize = in.readInt();
      in.readLong();
      while (true) {
        int tag;
        try {
          tag = in.readUnsignedByte();
        } catch (EOFException end) {
          return;
        }
        in.readInt();
        long length = Integer.toUnsignedLong(in.readInt());
        if (tag == 0x01 && classPass) {
          long id = id(in);
          byte[] utf = new byte[(int) (length - idSize)];
          in.readFully(utf);
          strings.put(id, new String(utf, java.nio.charset.StandardCharsets.UTF_8));
        } else if (tag == 0x02 && classPass) {
          in.readInt();
          long classId = id(in);
          in.readInt();
          classNames.put(classId, strings.getOrDefault(id(in), "?").replace('/', '.'));
        } else if (tag == 0x0C || tag == 0x1C) {
          heapSegment(in, length, classPass);
        } else {
          in.skipNBytes(length);
        }
      }
    }
  }

  private void heapSegment(DataInputStream in, long length, boolean classPass) throws IOException {
    long end = length;
    long[] read = {0};
    while (read[0] < end) {
      int sub = in.readUnsignedByte();
      read[0]++;
      switch (sub) {
        case 0xFF, 0x05, 0x07 -> skip(in, read, idSize);
        case 0x01 -> skip(in, read, 2L * idSize);
        case 0x02, 0x03, 0x08 -> skip(in, read, idSize + 8L);
        case 0x04, 0x06 -> skip(in, read, idSize + 4L);
        case 0x20 -> classDump(in, read, classPass);
        case 0x21 -> instance(in, read, classPass);
        case 0x22 -> objectArray(in, read, classPass);
        case 0x23 -> primitiveArray(in, read, classPass);
        default -> throw new IOException("unknown heap dump record 0x" + Integer.toHexString(sub));
      }
    }
  }

  private void classDump(DataInputStream in, long[] read, boolean classPass) throws IOException {
    long classId = id(in);
    in.readInt();
    long superId = id(in);
    skip(in, read, 5L * idSize);
    in.readInt();
    read[0] += 2L * idSize + 8;
    int constants = in.readUnsignedShort();
    read[0] += 2;
    for (int i = 0; i < constants; i++) {
      in.readUnsignedShort();
      int type = in.readUnsignedByte();
      read[0] += 3;
      skip(in, read, size(type));
    }
    int statics = in.readUnsignedShort();
    read[0] += 2;
    for (int i = 0; i < statics; i++) {
      id(in);
      int type = in.readUnsignedByte();
      read[0] += idSize + 1;
      if (type == 2 && !classPass) {
        read[0] += idSize;
        link(classId, id(in));
      } else {
        skip(in, read, size(type));
      }
    }
    int fields = in.readUnsignedShort();
    read[0] += 2;
    long[] layout = new long[fields + 1];
    layout[0] = superId;
    int shallow = 0;
    for (int i = 0; i < fields; i++) {
      id(in);
      int type = in.readUnsignedByte();
      read[0] += idSize + 1;
      layout[i + 1] = type;
      shallow += type == 2 ? 4 : size(type);
    }
    if (classPass) {
      classes.put(classId, layout);
      fieldBytes.put(classId, shallow);
    }
  }

  private void instance(DataInputStream in, long[] read, boolean classPass) throws IOException {
    long id = id(in);
    in.readInt();
    long classId = id(in);
    int length = in.readInt();
    read[0] += 2L * idSize + 8 + length;
    if (classPass) {
      in.skipNBytes(length);
      return;
    }
    byte[] values = new byte[length];
    in.readFully(values);
    classOf.put(id, classId);
    int shallow = 0;
    int at = 0;
    // the class's own fields first, then its super class's, up to Object
    for (long c = classId; c != 0 && classes.containsKey(c); c = classes.get(c)[0]) {
      long[] layout = classes.get(c);
      shallow += fieldBytes.get(c);
      for (int f = 1; f < layout.length; f++) {
        int type = (int) layout[f];
        if (type == 2) {
          link(id, ref(values, at));
        }
        at += size(type);
      }
    }
    sizeOf.put(id, align(12 + shallow));
  }

  private void objectArray(DataInputStream in, long[] read, boolean classPass) throws IOException {
    long id = id(in);
    in.readInt();
    int count = in.readInt();
    long classId = id(in);
    read[0] += 2L * idSize + 8 + (long) count * idSize;
    if (classPass) {
      in.skipNBytes((long) count * idSize);
      return;
    }
    for (int i = 0; i < count; i++) {
      link(id, id(in));
    }
    String name = classNames.getOrDefault(classId, "Object[]");
    arrayClass.put(id, name.startsWith("[L") ? name.substring(2, name.length() - 1) + "[]" : "Object[]");
    sizeOf.put(id, align(16 + 4 * count));
  }

  private void primitiveArray(DataInputStream in, long[] read, boolean classPass) throws IOException {
    long id = id(in);
    in.readInt();
    int count = in.readInt();
    int type = in.readUnsignedByte();
    long bytes = (long) count * size(type);
    read[0] += idSize + 9 + bytes;
    in.skipNBytes(bytes);
    if (!classPass) {
      arrayClass.put(id, PRIMITIVES[type] + "[]");
      sizeOf.put(id, align(16 + bytes));
    }
  }

  private static final String[] PRIMITIVES = {"", "", "Object", "", "boolean", "char", "float", "double", "byte", "short", "int", "long"};

  private void link(long from, long to) {
    if (to != 0) {
      parentOf.putIfAbsent(to, from);
    }
  }

  private long ref(byte[] values, int at) {
    long v = 0;
    for (int i = 0; i < idSize; i++) {
      v = (v << 8) | (values[at + i] & 0xFF);
    }
    return v;
  }

  private long id(DataInputStream in) throws IOException {
    return idSize == 4 ? Integer.toUnsignedLong(in.readInt()) : in.readLong();
  }

  private int size(int type) {
    return switch (type) {
      case 2 -> idSize;
      case 4, 8 -> 1;
      case 5, 9 -> 2;
      case 6, 10 -> 4;
      case 7, 11 -> 8;
      default -> throw new IllegalArgumentException("unknown basic type " + type);
    };
  }

  private static void skip(DataInputStream in, long[] read, long n) throws IOException {
    in.skipNBytes(n);
    read[0] += n;
  }

  private static int align(long bytes) {
    return (int) ((bytes + 7) & ~7L);
  }
}
