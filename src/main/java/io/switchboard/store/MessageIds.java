package io.switchboard.store;

import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Ids for messages whose sender gave none: 96 random bits, URL-safe. */
public final class MessageIds {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private MessageIds() {
  }

  public static String next() {
    byte[] bytes = new byte[12];
    ThreadLocalRandom.current().nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
