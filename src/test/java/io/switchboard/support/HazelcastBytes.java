package io.switchboard.support;

import com.hazelcast.config.Config;
import com.hazelcast.config.GlobalSerializerConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.internal.nio.BufferObjectDataInput;
import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts the bytes Hazelcast (de)serializes in this JVM, by serializers put in place of Hazelcast's
 * own for Java maps and lists and of Java serialization. A room's online set is a Java map, and any
 * whole copy of it is one: whatever grows with a room's set shows here. The presence operations and
 * their answers are written by their own ids ({@code PresenceSerialization}) and are not counted;
 * none carries a room's set (a listing holds at most its limit). Every member of a cluster must
 * install it (the type ids must match).
 */
public final class HazelcastBytes {

  /** Bytes (de)serialized by the counting serializers so far, on every member of this JVM. */
  private static final AtomicLong ALL = new AtomicLong();
  /** Those of them that were Java maps and lists. */
  private static final AtomicLong COLLECTIONS = new AtomicLong();

  private HazelcastBytes() {
  }

  public static void install(Config config) {
    config.getSerializationConfig().setAllowOverrideDefaultSerializers(true)
        .addSerializerConfig(new SerializerConfig().setTypeClass(HashMap.class).setImplementation(new CountingMap<>(HashMap::new, 1)))
        .addSerializerConfig(new SerializerConfig().setTypeClass(LinkedHashMap.class).setImplementation(new CountingMap<>(LinkedHashMap::new, 2)))
        .addSerializerConfig(new SerializerConfig().setTypeClass(ArrayList.class).setImplementation(new CountingList()))
        .setGlobalSerializerConfig(new GlobalSerializerConfig().setImplementation(new CountingJava()).setOverrideJavaSerialization(true));
  }

  public static long all() {
    return ALL.get();
  }

  public static long collections() {
    return COLLECTIONS.get();
  }

  private static void count(long bytes, boolean collection) {
    ALL.addAndGet(bytes);
    if (collection) {
      COLLECTIONS.addAndGet(bytes);
    }
  }

  private static long bytesWritten(ObjectDataOutput out, int from) {
    return ((BufferObjectDataOutput) out).position() - from;
  }

  private static long bytesRead(ObjectDataInput in, int from) {
    return ((BufferObjectDataInput) in).position() - from;
  }

  static final class CountingMap<M extends Map<Object, Object>> implements StreamSerializer<M> {
    private final Supplier<M> create;
    private final int id;

    CountingMap(Supplier<M> create, int id) {
      this.create = create;
      this.id = id;
    }

    @Override
    public void write(ObjectDataOutput out, M map) throws IOException {
      int from = ((BufferObjectDataOutput) out).position();
      out.writeInt(map.size());
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        out.writeObject(e.getKey());
        out.writeObject(e.getValue());
      }
      count(bytesWritten(out, from), true);
    }

    @Override
    public M read(ObjectDataInput in) throws IOException {
      int from = ((BufferObjectDataInput) in).position();
      M map = create.get();
      for (int n = in.readInt(); n > 0; n--) {
        map.put(in.readObject(), in.readObject());
      }
      count(bytesRead(in, from), true);
      return map;
    }

    @Override
    public int getTypeId() {
      return 9_000 + id;
    }
  }

  static final class CountingList implements StreamSerializer<ArrayList<Object>> {
    @Override
    public void write(ObjectDataOutput out, ArrayList<Object> list) throws IOException {
      int from = ((BufferObjectDataOutput) out).position();
      out.writeInt(list.size());
      for (Object o : list) {
        out.writeObject(o);
      }
      count(bytesWritten(out, from), true);
    }

    @Override
    public ArrayList<Object> read(ObjectDataInput in) throws IOException {
      int from = ((BufferObjectDataInput) in).position();
      int n = in.readInt();
      ArrayList<Object> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        list.add(in.readObject());
      }
      count(bytesRead(in, from), true);
      return list;
    }

    @Override
    public int getTypeId() {
      return 9_010;
    }
  }

  /** Java serialization, as Hazelcast does it for Serializable objects, with the bytes counted. */
  static final class CountingJava implements StreamSerializer<Object> {
    @Override
    public void write(ObjectDataOutput out, Object o) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream java = new ObjectOutputStream(bytes)) {
        java.writeObject(o);
      }
      count(bytes.size(), false);
      out.writeByteArray(bytes.toByteArray());
    }

    @Override
    public Object read(ObjectDataInput in) throws IOException {
      byte[] bytes = in.readByteArray();
      count(bytes.length, false);
      try (ObjectInputStream java = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        return java.readObject();
      } catch (ClassNotFoundException e) {
        throw new IOException(e);
      }
    }

    @Override
    public int getTypeId() {
      return 9_020;
    }
  }
}
