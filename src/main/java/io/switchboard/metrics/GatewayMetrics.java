package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.protocol.CloseCode;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.FrameType;
import io.switchboard.protocol.StreamName;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's own meters. Label values come from closed sets (frame types, codes, outcomes), never
 * from what a client wrote, so a hostile client cannot blow up the number of series.
 */
public final class GatewayMetrics {

  public static final String CONNECTIONS = "switchboard.connections";
  public static final String HANDSHAKES = "switchboard.handshakes";
  public static final String FRAMES_IN = "switchboard.frames.in";
  public static final String FRAMES_OUT = "switchboard.frames.out";
  public static final String MESSAGES = "switchboard.messages";
  public static final String DELIVERY_LATENCY = "switchboard.delivery.latency";
  public static final String ERRORS = "switchboard.errors";
  public static final String CLOSES = "switchboard.closes";
  public static final String WITHHELD = "switchboard.frames.withheld";
  public static final String OUTBOUND_QUEUED = "switchboard.outbound.queued";
  public static final String FEED_DROPPED = "switchboard.feed.dropped";
  public static final String ROUTE_LOOKUPS_FAILED = "switchboard.route.lookups.failed";
  public static final String CONNECTS_WAITING = "switchboard.connects.waiting";

  /** The lines a connect may wait in (architecture.md, "Accepting, and hellos in line"). */
  public enum ConnectLine {
    /** an upgrade request waiting for its 101 */
    UPGRADE,
    /** a hello waiting to be worked on */
    HELLO
  }

  /** Outcomes of an attempt to connect, from the HTTP upgrade to the welcome. */
  public enum Handshake {
    UPGRADED, ORIGIN_REJECTED, NOT_FOUND, DRAINING, WELCOMED, UNAUTHORIZED, HELLO_TIMEOUT, FAILED,
    // front door limits, before any upgrade
    CAPACITY, IP_LIMITED, RATE_LIMITED, HEAD_TIMEOUT
  }

  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final Map<Handshake, Counter> handshakes = new EnumMap<>(Handshake.class);
  private final Map<String, Counter> framesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
  private final Map<String, Counter> messages = new ConcurrentHashMap<>();
  private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> withheld = new ConcurrentHashMap<>();
  private final Timer latency;
  private final Counter feedDropped;
  private final Counter routeLookupsFailed;
  /** Totals behind the node's messages in/out per second (NodeFigures), whether or not metrics are scraped. */
  private final LongAdder messagesIn = new LongAdder();
  private final LongAdder messagesOut = new LongAdder();
  /** One per event loop, each written by its loop's sweep. */
  private final List<AtomicLong> queued = new CopyOnWriteArrayList<>();
  private final Map<ConnectLine, AtomicInteger> waiting = new EnumMap<>(ConnectLine.class);

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(CONNECTIONS, connections, AtomicInteger::get)
        .description("Open WebSocket connections").register(registry);
    for (Handshake h : Handshake.values()) {
      handshakes.put(h, Counter.builder(HANDSHAKES).tag("outcome", h.name().toLowerCase())
          .description("Connection attempts by outcome").register(registry));
    }
    for (ErrorCode c : ErrorCode.values()) {
      errors.put(c, Counter.builder(ERRORS).tag("code", c.wire())
          .description("Error frames sent, by code").register(registry));
    }
    for (ConnectLine line : ConnectLine.values()) {
      AtomicInteger count = new AtomicInteger();
      waiting.put(line, count);
      Gauge.builder(CONNECTS_WAITING, count, AtomicInteger::get).tag("line", line.name().toLowerCase())
          .description("Connects waiting in line for the node to take them on").register(registry);
    }
    Gauge.builder(OUTBOUND_QUEUED, queued, q -> q.stream().mapToLong(AtomicLong::get).sum())
        .baseUnit("bytes")
        .description("Bytes queued for sending on all WebSocket connections (measured once a sweep)")
        .register(registry);
    feedDropped = Counter.builder(FEED_DROPPED)
        .description("Live deliveries a stream feed did not hold for reordering because it held its maximum; "
            + "sessions read them from the log")
        .register(registry);
    routeLookupsFailed = Counter.builder(ROUTE_LOOKUPS_FAILED)
        .description("Deliveries to a user stream not sent to other nodes because presence did not answer where "
            + "the user is; their sessions read them from the log")
        .register(registry);
    latency = Timer.builder(DELIVERY_LATENCY)
        .description("From append to the store until written to local sockets")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(registry);
  }

  /** A loop's share of {@link #OUTBOUND_QUEUED}, for the loop to set. */
  public AtomicLong outboundQueue() {
    AtomicLong share = new AtomicLong();
    queued.add(share);
    return share;
  }

  /** The node-wide count of one line, kept by the lines of every event loop. */
  public AtomicInteger connectsWaiting(ConnectLine line) {
    return waiting.get(line);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Open WebSocket connections on this node. */
  public int connections() {
    return connections.get();
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed(Short code) {
    connections.decrementAndGet();
    String label = code == null ? "none" : knownClose(code);
    closes.computeIfAbsent(label, c -> Counter.builder(CLOSES).tag("code", c)
        .description("Closed connections, by close code").register(registry)).increment();
  }

  public void handshake(Handshake outcome) {
    handshakes.get(outcome).increment();
  }

  /** @param type a frame type from {@link FrameType}, or "invalid" when the frame did not parse */
  public void frameIn(String type) {
    count(framesIn, FRAMES_IN, type);
  }

  public void frameOut(String type) {
    if (FrameType.MESSAGE.equals(type)) {
      messagesOut.increment();
    }
    count(framesOut, FRAMES_OUT, type);
  }

  /** Messages accepted by this node (from clients and the API) since it started. */
  public long messagesIn() {
    return messagesIn.sum();
  }

  /** Message frames written to this node's clients since it started. */
  public long messagesOut() {
    return messagesOut.sum();
  }

  public void messageSent(String stream, boolean durable) {
    messagesIn.increment();
    StreamName.Kind kind = StreamName.kindOf(stream);
    String key = (kind == null ? "unknown" : kind.name().toLowerCase()) + (durable ? "" : "/transient");
    messages.computeIfAbsent(key, k -> {
      String[] parts = k.split("/");
      return Counter.builder(MESSAGES).tag("kind", parts[0]).tag("transient", String.valueOf(parts.length > 1))
          .description("Messages accepted, by stream kind").register(registry);
    }).increment();
  }

  /**
   * A frame not written because the connection's outbound queue was at its bound: a stream message
   * (sent later, from the log, once the queue drains) or a presence or transient frame (dropped).
   */
  public void withheld(String type) {
    withheld.computeIfAbsent(type, t -> Counter.builder(WITHHELD).tag("type", t)
        .description("Frames held back from a connection whose outbound queue was full, by type")
        .register(registry)).increment();
  }

  public void routeLookupFailed() {
    routeLookupsFailed.increment();
  }

  public void feedDropped() {
    feedDropped.increment();
  }

  public void error(ErrorCode code) {
    errors.get(code).increment();
  }

  public void delivered(long appendedAtMicros) {
    long micros = nowMicros() - appendedAtMicros;
    if (micros >= 0) {
      latency.record(micros, TimeUnit.MICROSECONDS);
    }
  }

  /** Wall clock in microseconds: comparable across nodes, unlike nanoTime. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private void count(Map<String, Counter> counters, String name, String type) {
    counters.computeIfAbsent(type, t -> Counter.builder(name).tag("type", t)
        .description(name.endsWith("in") ? "Frames received, by type" : "Frames sent, by type")
        .register(registry)).increment();
  }

  private static String knownClose(short code) {
    for (CloseCode c : CloseCode.values()) {
      if (c.code() == code) {
        return String.valueOf(code);
      }
    }
    return code == 1001 || code == 1005 || code == 1006 ? String.valueOf(code) : "other";
  }
}
