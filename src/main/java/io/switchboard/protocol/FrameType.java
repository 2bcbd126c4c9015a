package io.switchboard.protocol;

/** Wire names of frame types, in both directions. */
public final class FrameType {
  public static final String HELLO = "hello";
  public static final String SEND = "send";
  public static final String JOIN = "join";
  public static final String LEAVE = "leave";
  public static final String ACK = "ack";
  public static final String PING = "ping";
  public static final String PONG = "pong";
  public static final String REFRESH = "refresh";

  public static final String WELCOME = "welcome";
  public static final String SENT = "sent";
  public static final String JOINED = "joined";
  public static final String LEFT = "left";
  public static final String MESSAGE = "message";
  public static final String RESUMED = "resumed";
  public static final String GAP = "gap";
  public static final String RESET = "reset";
  public static final String PRESENCE = "presence";
  public static final String RECONNECT = "reconnect";
  public static final String ERROR = "error";

  private FrameType() {
  }
}
