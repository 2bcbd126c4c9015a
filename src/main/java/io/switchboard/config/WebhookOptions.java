package io.switchboard.config;

import java.net.URI;
import java.util.List;
import java.util.Set;

/** Event webhooks: what the node tells the backend, where, and how hard it tries (docs/webhooks.md). */
public class WebhookOptions {

  /** Every event type there is, in the order docs/webhooks.md lists them. */
  public static final List<String> EVENT_TYPES = List.of("message.undelivered", "message.stored", "presence.online",
      "presence.offline", "room.joined", "room.left");

  public static final int DEFAULT_BATCH_SIZE = 100;
  public static final int DEFAULT_MAX_WAIT_MS = 1_000;
  public static final int DEFAULT_TIMEOUT_MS = 10_000;
  /** A receiver down for an hour gets everything once it is back; after that events go to the dead letters. */
  public static final long DEFAULT_RETRY_FOR_MS = 3_600_000L;
  public static final int DEFAULT_BACKOFF_MIN_MS = 1_000;
  public static final int DEFAULT_BACKOFF_MAX_MS = 60_000;
  public static final int DEFAULT_QUEUE_CAP = 100_000;
  public static final int DEFAULT_DEAD_LETTER_CAP = 100_000;
  public static final int DEFAULT_TAKEOVER_MS = 10_000;
  public static final int DEFAULT_PREVIEW_CHARS = 100;
  public static final int MIN_ACK_TIMEOUT_MS = 1_000;

  private String url;
  private Set<String> events = Set.copyOf(EVENT_TYPES);
  private List<String> storedStreams = List.of();
  private int batchSize = DEFAULT_BATCH_SIZE;
  private int maxWaitMs = DEFAULT_MAX_WAIT_MS;
  private int timeoutMs = DEFAULT_TIMEOUT_MS;
  private long retryForMs = DEFAULT_RETRY_FOR_MS;
  private int backoffMinMs = DEFAULT_BACKOFF_MIN_MS;
  private int backoffMaxMs = DEFAULT_BACKOFF_MAX_MS;
  private int queueCap = DEFAULT_QUEUE_CAP;
  private int deadLetterCap = DEFAULT_DEAD_LETTER_CAP;
  private int takeoverMs = DEFAULT_TAKEOVER_MS;
  private int undeliveredDelayMs;
  private int ackTimeoutMs;
  private int previewChars = DEFAULT_PREVIEW_CHARS;
  private boolean includeBody;

  static WebhookOptions read(ConfigReader r) {
    WebhookOptions o = new WebhookOptions();
    o.url = r.string(Setting.WEBHOOKS_URL, null);
    if (o.url != null && o.url.isBlank()) {
      o.url = null;
    }
    if (o.url != null) {
      checkUrl(r, o.url);
    }
    List<String> events = r.list(Setting.WEBHOOKS_EVENTS, EVENT_TYPES);
    for (String e : events) {
      if (!EVENT_TYPES.contains(e)) {
        throw r.fail(Setting.WEBHOOKS_EVENTS, "unknown event type \"" + e + "\"; known: " + String.join(", ", EVENT_TYPES));
      }
    }
    o.events = Set.copyOf(events);
    o.storedStreams = List.copyOf(r.list(Setting.WEBHOOKS_STORED_STREAMS, List.of()));
    o.batchSize = r.integer(Setting.WEBHOOKS_BATCH_SIZE, DEFAULT_BATCH_SIZE, 1, 1000);
    o.maxWaitMs = r.integer(Setting.WEBHOOKS_MAX_WAIT_MS, DEFAULT_MAX_WAIT_MS, 10, 60_000);
    o.timeoutMs = r.integer(Setting.WEBHOOKS_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 100, 300_000);
    o.retryForMs = r.longValue(Setting.WEBHOOKS_RETRY_FOR_MS, DEFAULT_RETRY_FOR_MS, 0, 7 * 86_400_000L);
    o.backoffMinMs = r.integer(Setting.WEBHOOKS_BACKOFF_MIN_MS, DEFAULT_BACKOFF_MIN_MS, 1, 3_600_000);
    o.backoffMaxMs = r.integer(Setting.WEBHOOKS_BACKOFF_MAX_MS, Math.max(DEFAULT_BACKOFF_MAX_MS, o.backoffMinMs), 1, 3_600_000);
    if (o.backoffMaxMs < o.backoffMinMs) {
      throw r.fail(Setting.WEBHOOKS_BACKOFF_MAX_MS, "must be at least webhooks.backoffMinMs (" + o.backoffMinMs + ")");
    }
    o.queueCap = r.integer(Setting.WEBHOOKS_QUEUE_CAP, DEFAULT_QUEUE_CAP, 1, 100_000_000);
    o.deadLetterCap = r.integer(Setting.WEBHOOKS_DEAD_LETTER_CAP, DEFAULT_DEAD_LETTER_CAP, 1, 100_000_000);
    o.takeoverMs = r.integer(Setting.WEBHOOKS_TAKEOVER_MS, DEFAULT_TAKEOVER_MS, 300, 600_000);
    o.undeliveredDelayMs = r.integer(Setting.WEBHOOKS_UNDELIVERED_DELAY_MS, 0, 0, 3_600_000);
    o.ackTimeoutMs = r.integer(Setting.WEBHOOKS_ACK_TIMEOUT_MS, 0, 0, 86_400_000);
    if (o.ackTimeoutMs > 0 && o.ackTimeoutMs < MIN_ACK_TIMEOUT_MS) {
      // clients ack at most once a second: a shorter wait would call every online device late
      throw r.fail(Setting.WEBHOOKS_ACK_TIMEOUT_MS, "must be 0 (off) or at least " + MIN_ACK_TIMEOUT_MS + ", got " + o.ackTimeoutMs);
    }
    o.previewChars = r.integer(Setting.WEBHOOKS_PREVIEW_CHARS, DEFAULT_PREVIEW_CHARS, 0, 100_000);
    o.includeBody = r.bool(Setting.WEBHOOKS_INCLUDE_BODY, false);
    return o;
  }

  private static void checkUrl(ConfigReader r, String url) {
    try {
      URI uri = new URI(url);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw r.fail(Setting.WEBHOOKS_URL, "must be an absolute http:// or https:// URL, got \"" + url + "\"");
      }
    } catch (java.net.URISyntaxException e) {
      throw r.fail(Setting.WEBHOOKS_URL, "is not a URL: " + e.getMessage());
    }
  }

  /** Where batches of events are POSTed; null: webhooks are off. */
  public String getUrl() {
    return url;
  }

  public boolean isEnabled() {
    return url != null;
  }

  /** The event types sent ({@link #EVENT_TYPES} by default), in that list's order. */
  public List<String> getEvents() {
    return EVENT_TYPES.stream().filter(events::contains).toList();
  }

  /** Whether events of this type are queued at all. */
  public boolean sends(String type) {
    return url != null && events.contains(type);
  }

  /** Glob patterns ({@code room:*}) of the streams whose every stored message is a {@code message.stored} event. */
  public List<String> getStoredStreams() {
    return storedStreams;
  }

  /** At most this many events per POST. */
  public int getBatchSize() {
    return batchSize;
  }

  /** An event waits at most this long for others to share its POST. */
  public int getMaxWaitMs() {
    return maxWaitMs;
  }

  /** A POST not answered within this is a failed attempt. */
  public int getTimeoutMs() {
    return timeoutMs;
  }

  /** How long a batch is retried after its first failure before its events become dead letters. */
  public long getRetryForMs() {
    return retryForMs;
  }

  public int getBackoffMinMs() {
    return backoffMinMs;
  }

  public int getBackoffMaxMs() {
    return backoffMaxMs;
  }

  /** Events the queue holds at most; beyond it the oldest go to the dead letters. */
  public int getQueueCap() {
    return queueCap;
  }

  /** Dead letters kept at most; beyond it the oldest are dropped. */
  public int getDeadLetterCap() {
    return deadLetterCap;
  }

  /** How long after the delivering node stopped renewing its lease another node takes over its events. */
  public int getTakeoverMs() {
    return takeoverMs;
  }

  /** How long after a message to an offline user is stored the user is checked again before {@code message.undelivered}. */
  public int getUndeliveredDelayMs() {
    return undeliveredDelayMs;
  }

  /**
   * How long the devices of a user who was online when a message was stored have to ack it before
   * those that did not are a {@code message.undelivered} (reason {@code unacked}); 0: not checked.
   */
  public int getAckTimeoutMs() {
    return ackTimeoutMs;
  }

  /** Characters of the body in a {@code message.undelivered} event's {@code preview}; 0: no preview. */
  public int getPreviewChars() {
    return previewChars;
  }

  /** Whether {@code message.undelivered} carries the whole body. */
  public boolean isIncludeBody() {
    return includeBody;
  }
}
