package io.switchboard.routing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * Wire format of {@link Delivery} between nodes. Within a node the object itself is passed:
 * it is immutable, so sharing it across event loops is safe.
 */
public final class DeliveryCodec implements MessageCodec<Delivery, Delivery> {

  public static final String NAME = "sb-delivery";
  private static final Delivery.Kind[] KINDS = Delivery.Kind.values();

  @Override
  public void encodeToWire(Buffer buffer, Delivery d) {
    buffer.appendByte((byte) d.kind().ordinal());
    buffer.appendLong(d.seq());
    buffer.appendLong(d.epoch());
    buffer.appendLong(d.appendedAtMicros());
    writeString(buffer, d.stream());
    writeString(buffer, d.frame());
    writeString(buffer, d.skipUser());
    writeString(buffer, d.skipSession());
  }

  @Override
  public Delivery decodeFromWire(int pos, Buffer buffer) {
    int[] at = {pos};
    Delivery.Kind kind = KINDS[buffer.getByte(at[0])];
    long seq = buffer.getLong(at[0] + 1);
    long epoch = buffer.getLong(at[0] + 9);
    long appendedAt = buffer.getLong(at[0] + 17);
    at[0] += 25;
    String stream = readString(buffer, at);
    String frame = readString(buffer, at);
    String skipUser = readString(buffer, at);
    String skipSession = readString(buffer, at);
    return new Delivery(kind, stream, seq, epoch, frame, skipUser, skipSession, appendedAt);
  }

  @Override
  public Delivery transform(Delivery d) {
    return d;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }

  private static void writeString(Buffer buffer, String s) {
    if (s == null) {
      buffer.appendInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length);
    buffer.appendBytes(bytes);
  }

  private static String readString(Buffer buffer, int[] at) {
    int length = buffer.getInt(at[0]);
    at[0] += 4;
    if (length < 0) {
      return null;
    }
    String s = buffer.getString(at[0], at[0] + length, "UTF-8");
    at[0] += length;
    return s;
  }
}
