package io.switchboard.config;

/** Per-connection limits: what one client may cost the node. */
public class LimitsOptions {

  public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
  public static final int DEFAULT_MESSAGES_PER_SECOND = 100;
  public static final int DEFAULT_MESSAGES_BURST = 200;
  public static final int DEFAULT_MAX_RATE_LIMITED_FRAMES = 50;
  public static final int DEFAULT_SLOW_CONSUMER_MS = 10_000;
  public static final int DEFAULT_MAX_ROOMS_PER_USER = 500;
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_CONNECTIONS = 100_000;
  /** Generous: offices and mobile carriers put many users behind one address. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1_000;
  public static final int DEFAULT_HANDSHAKES_PER_IP_PER_SECOND = 50;
  public static final int DEFAULT_HELLOS_IN_FLIGHT = 256;
  /**
   * Clients answered 101 and not heard from yet, per hello in flight. Their hellos are on the way,
   * not yet work of the node; a client slow to send its hello (a phone, a busy generator) must not
   * hold a hello's place, yet all of a storm's upgrades at once would take the loops from the hellos.
   */
  public static final int UPGRADES_PER_HELLO = 4;

  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private int messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;
  private int messagesBurst = DEFAULT_MESSAGES_BURST;
  private int maxRateLimitedFrames = DEFAULT_MAX_RATE_LIMITED_FRAMES;
  private int slowConsumerMs = DEFAULT_SLOW_CONSUMER_MS;
  private int maxRoomsPerUser = DEFAULT_MAX_ROOMS_PER_USER;
  private int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
  private int maxConnections = DEFAULT_MAX_CONNECTIONS;
  private int maxConnectionsPerIp = DEFAULT_MAX_CONNECTIONS_PER_IP;
  private int handshakesPerIpPerSecond = DEFAULT_HANDSHAKES_PER_IP_PER_SECOND;
  private int hellosInFlight = DEFAULT_HELLOS_IN_FLIGHT;

  static LimitsOptions read(ConfigReader r) {
    LimitsOptions o = new LimitsOptions();
    o.maxMessageBytes = r.integer(Setting.LIMITS_MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 256, 16 * 1024 * 1024);
    o.messagesPerSecond = r.integer(Setting.LIMITS_MESSAGES_PER_SECOND, DEFAULT_MESSAGES_PER_SECOND, 1, 1_000_000);
    o.messagesBurst = r.integer(Setting.LIMITS_MESSAGES_BURST, DEFAULT_MESSAGES_BURST, 1, 1_000_000);
    o.maxRateLimitedFrames = r.integer(Setting.LIMITS_MAX_RATE_LIMITED, DEFAULT_MAX_RATE_LIMITED_FRAMES, 1, 1_000_000);
    o.slowConsumerMs = r.integer(Setting.LIMITS_SLOW_CONSUMER_MS, DEFAULT_SLOW_CONSUMER_MS, 100, 600_000);
    o.maxRoomsPerUser = r.integer(Setting.LIMITS_MAX_ROOMS_PER_USER, DEFAULT_MAX_ROOMS_PER_USER, 1, 100_000);
    o.maxOutboundBytes = r.integer(Setting.LIMITS_MAX_OUTBOUND_BYTES, DEFAULT_MAX_OUTBOUND_BYTES, 16 * 1024, 64 * 1024 * 1024);
    o.maxConnections = r.integer(Setting.LIMITS_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 1, 10_000_000);
    o.maxConnectionsPerIp = r.integer(Setting.LIMITS_MAX_CONNECTIONS_PER_IP, DEFAULT_MAX_CONNECTIONS_PER_IP, 1, 10_000_000);
    o.handshakesPerIpPerSecond = r.integer(Setting.LIMITS_HANDSHAKES_PER_IP_PER_SECOND,
        DEFAULT_HANDSHAKES_PER_IP_PER_SECOND, 1, 1_000_000);
    o.hellosInFlight = r.integer(Setting.LIMITS_HELLOS_IN_FLIGHT, DEFAULT_HELLOS_IN_FLIGHT, 1, 1_000_000);
    if (o.messagesBurst < o.messagesPerSecond) {
      throw r.fail(Setting.LIMITS_MESSAGES_BURST, "must be at least limits.messagesPerSecond (" + o.messagesPerSecond + ")");
    }
    return o;
  }

  /** Largest text message (after reassembling fragments); larger closes with 1009. */
  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public int getMessagesPerSecond() {
    return messagesPerSecond;
  }

  public int getMessagesBurst() {
    return messagesBurst;
  }

  /** Consecutive frames refused with rate_limited before the connection is closed with 4429. */
  public int getMaxRateLimitedFrames() {
    return maxRateLimitedFrames;
  }

  /** How long a connection's outbound queue may stay at its bound before it is closed with 1013. */
  public int getSlowConsumerMs() {
    return slowConsumerMs;
  }

  /**
   * Bound of a connection's outbound queue, in bytes. At the bound nothing more is queued: stream
   * messages wait in the log until the queue drains to half, presence and transient frames are
   * dropped.
   */
  public int getMaxOutboundBytes() {
    return maxOutboundBytes;
  }

  /** WebSocket connections the node holds at most; further handshakes get 503 with Retry-After. */
  public int getMaxConnections() {
    return maxConnections;
  }

  /** Concurrent WebSocket connections per client IP; further handshakes get 429. */
  public int getMaxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  /** Upgrade requests per client IP per second (burst of one second's worth); more get 429 with Retry-After. */
  public int getHandshakesPerIpPerSecond() {
    return handshakesPerIpPerSecond;
  }

  public int getMaxRoomsPerUser() {
    return maxRoomsPerUser;
  }

  /**
   * Hellos the node works on at once, shared by its gateway loops; the others wait in line, in the
   * order they came, with nothing done for them yet (a reconnect storm is welcomed at the node's pace
   * instead of failing hellos the store cannot keep up with). At most {@link #UPGRADES_PER_HELLO}
   * times as many clients are answered 101 and not heard from yet; the others wait for their 101.
   */
  public int getHellosInFlight() {
    return hellosInFlight;
  }
}
