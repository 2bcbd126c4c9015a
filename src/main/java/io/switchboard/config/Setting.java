package io.switchboard.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every configuration key the node understands, with the environment variable that overrides it.
 * This is the single list that the loader, the unknown-key check and docs/configuration.md agree on.
 */
public enum Setting {
  NODE_NAME("node.name", "SB_NODE_NAME", Type.STRING),
  METRICS_ENABLED("metrics.enabled", "SB_METRICS_ENABLED", Type.BOOLEAN),

  HTTP_HOST("http.host", "SB_HTTP_HOST", Type.STRING),
  HTTP_PORT("http.port", "SB_HTTP_PORT", Type.INTEGER),
  HTTP_INSTANCES("http.instances", "SB_HTTP_INSTANCES", Type.INTEGER),
  HTTP_ALLOWED_ORIGINS("http.allowedOrigins", "SB_ALLOWED_ORIGINS", Type.LIST),
  HTTP_COMPRESSION("http.compression", "SB_WS_COMPRESSION", Type.BOOLEAN),
  HTTP_NATIVE_TRANSPORT("http.nativeTransport", "SB_NATIVE_TRANSPORT", Type.BOOLEAN),
  HTTP_DEMO_PAGE("http.demoPage", "SB_DEMO_PAGE", Type.BOOLEAN),

  CLUSTER_NAME("cluster.name", "SB_CLUSTER_NAME", Type.STRING),
  CLUSTER_PORT("cluster.port", "SB_CLUSTER_PORT", Type.INTEGER),
  CLUSTER_MEMBERS("cluster.members", "SB_CLUSTER_MEMBERS", Type.LIST),
  CLUSTER_INTERFACE("cluster.interface", "SB_CLUSTER_INTERFACE", Type.STRING),
  CLUSTER_KUBERNETES_SERVICE("cluster.kubernetesService", "SB_CLUSTER_KUBERNETES_SERVICE", Type.STRING),
  CLUSTER_FAILURE_TIMEOUT_MS("cluster.failureTimeoutMs", "SB_CLUSTER_FAILURE_TIMEOUT_MS", Type.INTEGER),
  CLUSTER_DRAIN_MS("cluster.drainMs", "SB_DRAIN_MS", Type.INTEGER),

  // front door: handshake limits, slowloris, client IP behind proxies, TLS (wss/https and event bus)
  HTTP_REQUEST_HEAD_TIMEOUT_MS("http.requestHeadTimeoutMs", "SB_REQUEST_HEAD_TIMEOUT_MS", Type.INTEGER),
  HTTP_IDLE_TIMEOUT_MS("http.idleTimeoutMs", "SB_HTTP_IDLE_TIMEOUT_MS", Type.INTEGER),
  HTTP_TRUSTED_PROXIES("http.trustedProxies", "SB_TRUSTED_PROXIES", Type.LIST),
  HTTP_TLS_CERT_PATH("http.tlsCertPath", "SB_TLS_CERT_PATH", Type.STRING),
  HTTP_TLS_KEY_PATH("http.tlsKeyPath", "SB_TLS_KEY_PATH", Type.STRING),
  LIMITS_MAX_CONNECTIONS("limits.maxConnections", "SB_MAX_CONNECTIONS", Type.INTEGER),
  LIMITS_MAX_CONNECTIONS_PER_IP("limits.maxConnectionsPerIp", "SB_MAX_CONNECTIONS_PER_IP", Type.INTEGER),
  LIMITS_HANDSHAKES_PER_IP_PER_SECOND("limits.handshakesPerIpPerSecond", "SB_HANDSHAKES_PER_IP_PER_SECOND", Type.INTEGER),
  LIMITS_HELLOS_IN_FLIGHT("limits.hellosInFlight", "SB_HELLOS_IN_FLIGHT", Type.INTEGER),
  CLUSTER_TLS_CERT_PATH("cluster.tlsCertPath", "SB_CLUSTER_TLS_CERT_PATH", Type.STRING),
  CLUSTER_TLS_KEY_PATH("cluster.tlsKeyPath", "SB_CLUSTER_TLS_KEY_PATH", Type.STRING),
  CLUSTER_TLS_TRUST_PATH("cluster.tlsTrustPath", "SB_CLUSTER_TLS_TRUST_PATH", Type.STRING),

  API_KEYS("api.keys", "SB_API_KEYS", Type.LIST),
  ADMIN_KEYS("admin.keys", "SB_ADMIN_KEYS", Type.LIST),

  // calls to the application's backend: proxies and webhooks
  BACKEND_SECRETS("backend.secrets", "SB_BACKEND_SECRETS", Type.LIST),
  PROXY_CONNECT_URL("proxy.connectUrl", "SB_PROXY_CONNECT_URL", Type.STRING),
  PROXY_CONNECT_TIMEOUT_MS("proxy.connectTimeoutMs", "SB_PROXY_CONNECT_TIMEOUT_MS", Type.INTEGER),
  PROXY_JOIN_URL("proxy.joinUrl", "SB_PROXY_JOIN_URL", Type.STRING),
  PROXY_JOIN_TIMEOUT_MS("proxy.joinTimeoutMs", "SB_PROXY_JOIN_TIMEOUT_MS", Type.INTEGER),
  PROXY_PUBLISH_URL("proxy.publishUrl", "SB_PROXY_PUBLISH_URL", Type.STRING),
  PROXY_PUBLISH_TIMEOUT_MS("proxy.publishTimeoutMs", "SB_PROXY_PUBLISH_TIMEOUT_MS", Type.INTEGER),
  PROXY_PUBLISH_STREAMS("proxy.publishStreams", "SB_PROXY_PUBLISH_STREAMS", Type.LIST),

  // event webhooks (node -> backend, asynchronous, durable): see docs/webhooks.md
  WEBHOOKS_URL("webhooks.url", "SB_WEBHOOKS_URL", Type.STRING),
  WEBHOOKS_EVENTS("webhooks.events", "SB_WEBHOOKS_EVENTS", Type.LIST),
  WEBHOOKS_STORED_STREAMS("webhooks.storedStreams", "SB_WEBHOOKS_STORED_STREAMS", Type.LIST),
  WEBHOOKS_BATCH_SIZE("webhooks.batchSize", "SB_WEBHOOKS_BATCH_SIZE", Type.INTEGER),
  WEBHOOKS_MAX_WAIT_MS("webhooks.maxWaitMs", "SB_WEBHOOKS_MAX_WAIT_MS", Type.INTEGER),
  WEBHOOKS_TIMEOUT_MS("webhooks.timeoutMs", "SB_WEBHOOKS_TIMEOUT_MS", Type.INTEGER),
  WEBHOOKS_RETRY_FOR_MS("webhooks.retryForMs", "SB_WEBHOOKS_RETRY_FOR_MS", Type.LONG),
  WEBHOOKS_BACKOFF_MIN_MS("webhooks.backoffMinMs", "SB_WEBHOOKS_BACKOFF_MIN_MS", Type.INTEGER),
  WEBHOOKS_BACKOFF_MAX_MS("webhooks.backoffMaxMs", "SB_WEBHOOKS_BACKOFF_MAX_MS", Type.INTEGER),
  WEBHOOKS_QUEUE_CAP("webhooks.queueCap", "SB_WEBHOOKS_QUEUE_CAP", Type.INTEGER),
  WEBHOOKS_DEAD_LETTER_CAP("webhooks.deadLetterCap", "SB_WEBHOOKS_DEAD_LETTER_CAP", Type.INTEGER),
  WEBHOOKS_TAKEOVER_MS("webhooks.takeoverMs", "SB_WEBHOOKS_TAKEOVER_MS", Type.INTEGER),
  WEBHOOKS_ACK_TIMEOUT_MS("webhooks.ackTimeoutMs", "SB_WEBHOOKS_ACK_TIMEOUT_MS", Type.INTEGER),
  WEBHOOKS_UNDELIVERED_DELAY_MS("webhooks.undeliveredDelayMs", "SB_WEBHOOKS_UNDELIVERED_DELAY_MS", Type.INTEGER),
  WEBHOOKS_PREVIEW_CHARS("webhooks.previewChars", "SB_WEBHOOKS_PREVIEW_CHARS", Type.INTEGER),
  WEBHOOKS_INCLUDE_BODY("webhooks.includeBody", "SB_WEBHOOKS_INCLUDE_BODY", Type.BOOLEAN),

  AUTH_DEV_MODE("auth.devMode", "SB_DEV_MODE", Type.BOOLEAN),
  AUTH_JWT_SECRET("auth.jwtSecret", "SB_JWT_SECRET", Type.STRING),
  AUTH_JWT_PUBLIC_KEY("auth.jwtPublicKey", "SB_JWT_PUBLIC_KEY", Type.STRING),
  AUTH_JWT_ALGORITHM("auth.jwtAlgorithm", "SB_JWT_ALGORITHM", Type.STRING),
  AUTH_ISSUER("auth.issuer", "SB_JWT_ISSUER", Type.STRING),
  AUTH_AUDIENCE("auth.audience", "SB_JWT_AUDIENCE", Type.STRING),
  AUTH_LEEWAY_SECONDS("auth.leewaySeconds", "SB_JWT_LEEWAY_SECONDS", Type.INTEGER),
  AUTH_DEV_TOKEN_TTL_SECONDS("auth.devTokenTtlSeconds", "SB_DEV_TOKEN_TTL_SECONDS", Type.INTEGER),

  PROTOCOL_HELLO_TIMEOUT_MS("protocol.helloTimeoutMs", "SB_HELLO_TIMEOUT_MS", Type.INTEGER),
  PROTOCOL_HEARTBEAT_MS("protocol.heartbeatMs", "SB_HEARTBEAT_MS", Type.INTEGER),
  DELIVERY_REPAIR_INTERVAL_MS("delivery.repairIntervalMs", "SB_REPAIR_INTERVAL_MS", Type.INTEGER),

  LIMITS_MAX_MESSAGE_BYTES("limits.maxMessageBytes", "SB_MAX_MESSAGE_BYTES", Type.INTEGER),
  LIMITS_MESSAGES_PER_SECOND("limits.messagesPerSecond", "SB_RATE_PER_SECOND", Type.INTEGER),
  LIMITS_MESSAGES_BURST("limits.messagesBurst", "SB_RATE_BURST", Type.INTEGER),
  LIMITS_MAX_RATE_LIMITED("limits.maxRateLimitedFrames", "SB_RATE_MAX_REJECTED", Type.INTEGER),
  LIMITS_SLOW_CONSUMER_MS("limits.slowConsumerMs", "SB_SLOW_CONSUMER_MS", Type.INTEGER),
  LIMITS_MAX_OUTBOUND_BYTES("limits.maxOutboundBytes", "SB_MAX_OUTBOUND_BYTES", Type.INTEGER),
  LIMITS_MAX_ROOMS_PER_USER("limits.maxRoomsPerUser", "SB_MAX_ROOMS_PER_USER", Type.INTEGER),

  STORE_TYPE("store.type", "SB_STORE", Type.STRING),
  STORE_MEMORY_MAX_BYTES("store.memoryMaxBytes", "SB_STORE_MEMORY_MAX_BYTES", Type.LONG),
  REDIS_MODE("redis.mode", "SB_REDIS_MODE", Type.STRING),
  REDIS_URL("redis.url", "SB_REDIS_URL", Type.LIST),
  REDIS_MASTER_NAME("redis.masterName", "SB_REDIS_MASTER_NAME", Type.STRING),
  REDIS_POOL_SIZE("redis.poolSize", "SB_REDIS_POOL_SIZE", Type.INTEGER),
  REDIS_TIMEOUT_MS("redis.timeoutMs", "SB_REDIS_TIMEOUT_MS", Type.INTEGER),
  RETENTION_MAX_MESSAGES("retention.maxMessages", "SB_RETENTION_MESSAGES", Type.INTEGER),
  RETENTION_MAX_AGE_SECONDS("retention.maxAgeSeconds", "SB_RETENTION_SECONDS", Type.LONG),
  IDEMPOTENCY_WINDOW_SECONDS("idempotency.windowSeconds", "SB_IDEMPOTENCY_SECONDS", Type.LONG),

  PRESENCE_MAX_LISTED("presence.maxListed", "SB_PRESENCE_MAX_LISTED", Type.INTEGER),
  PRESENCE_MAX_ROOM_ONLINE("presence.maxRoomOnline", "SB_PRESENCE_MAX_ROOM_ONLINE", Type.INTEGER),

  // operator polish: log line format
  LOG_FORMAT("log.format", "SB_LOG_FORMAT", Type.STRING);

  /**
   * Settings whose values are credentials: an error about one says what type came, never the value,
   * and {@code check-config} prints them masked.
   */
  public static final Set<Setting> SECRETS = Collections.unmodifiableSet(EnumSet.of(AUTH_JWT_SECRET, API_KEYS, REDIS_URL,
      BACKEND_SECRETS, ADMIN_KEYS));

  /** How an environment variable's text is turned into a JSON value. */
  public enum Type { STRING, INTEGER, LONG, BOOLEAN, LIST }

  private static final Map<String, Setting> BY_KEY =
      Arrays.stream(values()).collect(Collectors.toMap(s -> s.key, Function.identity()));

  private final String key;
  private final String env;
  private final Type type;

  Setting(String key, String env, Type type) {
    this.key = key;
    this.env = env;
    this.type = type;
  }

  public String key() {
    return key;
  }

  public String env() {
    return env;
  }

  public Type type() {
    return type;
  }

  /** The section ("http") and the field ("port") of a dotted key. */
  public String section() {
    return key.substring(0, key.indexOf('.'));
  }

  public String field() {
    return key.substring(key.indexOf('.') + 1);
  }

  public static Optional<Setting> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }
}
