package io.switchboard.client.internal;

/** The client's version, sent in {@code hello.client}. */
public final class Version {
  public static final String VERSION = "0.1.0";

  private Version() {
  }
}
