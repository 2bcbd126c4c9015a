package io.switchboard.config;

/** Which store keeps the logs, and how long it keeps them. */
public class StoreOptions {

  public static final String MEMORY = "memory";
  public static final String REDIS = "redis";
  /** Unset: in memory for a standalone node, Redis when clustered (resolved when the node starts). */
  public static final String AUTO = "auto";
  public static final String DEFAULT_TYPE = AUTO;
  public static final int DEFAULT_RETENTION_MESSAGES = 1000;
  public static final long DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;
  public static final long DEFAULT_IDEMPOTENCY_SECONDS = 600;
  /** A quarter of the heap: the rest serves connections, buffers and the JVM itself. */
  public static final long DEFAULT_MEMORY_MAX_BYTES = Runtime.getRuntime().maxMemory() / 4;
  public static final long MIN_MEMORY_MAX_BYTES = 1024 * 1024;
  /** Why a clustered node refuses {@code store.type=memory}. */
  public static final String CLUSTERED_MEMORY_STORE = "a clustered node cannot use the in-memory store: messages, cursors "
      + "and memberships would not be shared between nodes. Use store.type=redis (SB_STORE=redis, SB_REDIS_URL=redis://host:6379)";

  private String type = DEFAULT_TYPE;
  private int retentionMessages = DEFAULT_RETENTION_MESSAGES;
  private long retentionSeconds = DEFAULT_RETENTION_SECONDS;
  private long idempotencySeconds = DEFAULT_IDEMPOTENCY_SECONDS;
  private long memoryMaxBytes = DEFAULT_MEMORY_MAX_BYTES;
  private RedisOptions redis = new RedisOptions();

  static StoreOptions read(ConfigReader r) {
    StoreOptions o = new StoreOptions();
    o.type = r.string(Setting.STORE_TYPE, DEFAULT_TYPE);
    if (!o.type.equals(MEMORY) && !o.type.equals(REDIS) && !o.type.equals(AUTO)) {
      throw r.fail(Setting.STORE_TYPE, "unsupported store \"" + o.type + "\" (available: memory, redis, auto)");
    }
    o.redis = RedisOptions.read(r);
    o.retentionMessages = r.integer(Setting.RETENTION_MAX_MESSAGES, DEFAULT_RETENTION_MESSAGES, 1, 10_000_000);
    o.retentionSeconds = r.longValue(Setting.RETENTION_MAX_AGE_SECONDS, DEFAULT_RETENTION_SECONDS, 1, 10L * 365 * 24 * 3600);
    o.idempotencySeconds = r.longValue(Setting.IDEMPOTENCY_WINDOW_SECONDS, DEFAULT_IDEMPOTENCY_SECONDS, 1, 7 * 24 * 3600);
    o.memoryMaxBytes = r.longValue(Setting.STORE_MEMORY_MAX_BYTES, DEFAULT_MEMORY_MAX_BYTES, MIN_MEMORY_MAX_BYTES, Long.MAX_VALUE);
    return o;
  }

  /** memory, redis or auto; see {@link #resolvedType(boolean)}. */
  public String getType() {
    return type;
  }

  /** The store a node uses: {@code auto} means Redis when clustered, memory otherwise. */
  public String resolvedType(boolean clustered) {
    return AUTO.equals(type) ? (clustered ? REDIS : MEMORY) : type;
  }

  public StoreOptions setType(String type) {
    this.type = type;
    return this;
  }

  public RedisOptions getRedis() {
    return redis;
  }

  /** Messages kept per stream; older ones are trimmed and reported as a gap on resume. */
  public int getRetentionMessages() {
    return retentionMessages;
  }

  public StoreOptions setRetentionMessages(int retentionMessages) {
    this.retentionMessages = retentionMessages;
    return this;
  }

  /** Age after which a message is dropped from its stream's log. */
  public long getRetentionSeconds() {
    return retentionSeconds;
  }

  public StoreOptions setRetentionSeconds(long retentionSeconds) {
    this.retentionSeconds = retentionSeconds;
    return this;
  }

  /** How long a (sender, stream, id) is remembered so a retried send appends nothing. */
  public long getIdempotencySeconds() {
    return idempotencySeconds;
  }

  public StoreOptions setIdempotencySeconds(long idempotencySeconds) {
    this.idempotencySeconds = idempotencySeconds;
    return this;
  }

  /** Heap the in-memory store may hold in all (messages, idempotency keys, streams); oldest goes first beyond it. */
  public long getMemoryMaxBytes() {
    return memoryMaxBytes;
  }

  public StoreOptions setMemoryMaxBytes(long memoryMaxBytes) {
    this.memoryMaxBytes = memoryMaxBytes;
    return this;
  }
}
