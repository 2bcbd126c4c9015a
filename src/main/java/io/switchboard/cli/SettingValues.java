package io.switchboard.cli;

import io.switchboard.config.PemFiles;
import io.switchboard.config.Setting;
import io.switchboard.config.SwitchboardOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The value a loaded configuration holds for each key, as a config file would state it (a string,
 * number, boolean or list of strings; null when unset). A key added to {@link Setting} without a
 * line here does not compile.
 */
final class SettingValues {

  private SettingValues() {
  }

  static Object of(Setting s, SwitchboardOptions o) {
    return switch (s) {
      case NODE_NAME -> o.getNodeName();
      case METRICS_ENABLED -> o.isMetricsEnabled();
      case HTTP_HOST -> o.getHttp().getHost();
      case HTTP_PORT -> o.getHttp().getPort();
      case HTTP_INSTANCES -> o.getHttp().getInstances();
      case HTTP_ALLOWED_ORIGINS -> o.getHttp().getAllowedOrigins();
      case HTTP_COMPRESSION -> o.getHttp().isCompression();
      case HTTP_NATIVE_TRANSPORT -> o.getHttp().isNativeTransport();
      case HTTP_DEMO_PAGE -> o.getHttp().isDemoPage();
      case HTTP_REQUEST_HEAD_TIMEOUT_MS -> o.getHttp().getRequestHeadTimeoutMs();
      case HTTP_IDLE_TIMEOUT_MS -> o.getHttp().getIdleTimeoutMs();
      case HTTP_TRUSTED_PROXIES -> o.getHttp().getTrustedProxies();
      case HTTP_TLS_CERT_PATH -> pem(o.getHttp().getTls(), PemFiles::certPath);
      case HTTP_TLS_KEY_PATH -> pem(o.getHttp().getTls(), PemFiles::keyPath);
      case CLUSTER_NAME -> o.getCluster().getName();
      case CLUSTER_PORT -> o.getCluster().getPort();
      case CLUSTER_MEMBERS -> o.getCluster().getMembers();
      case CLUSTER_INTERFACE -> o.getCluster().getNetworkInterface();
      case CLUSTER_KUBERNETES_SERVICE -> o.getCluster().getKubernetesService();
      case CLUSTER_FAILURE_TIMEOUT_MS -> o.getCluster().getFailureTimeoutMs();
      case CLUSTER_DRAIN_MS -> o.getCluster().getDrainMs();
      case CLUSTER_TLS_CERT_PATH -> pem(o.getCluster().getTls(), PemFiles::certPath);
      case CLUSTER_TLS_KEY_PATH -> pem(o.getCluster().getTls(), PemFiles::keyPath);
      case CLUSTER_TLS_TRUST_PATH -> pem(o.getCluster().getTls(), PemFiles::trustPath);
      case LIMITS_MAX_CONNECTIONS -> o.getLimits().getMaxConnections();
      case LIMITS_MAX_CONNECTIONS_PER_IP -> o.getLimits().getMaxConnectionsPerIp();
      case LIMITS_HANDSHAKES_PER_IP_PER_SECOND -> o.getLimits().getHandshakesPerIpPerSecond();
      case LIMITS_HELLOS_IN_FLIGHT -> o.getLimits().getHellosInFlight();
      case LIMITS_MAX_MESSAGE_BYTES -> o.getLimits().getMaxMessageBytes();
      case LIMITS_MESSAGES_PER_SECOND -> o.getLimits().getMessagesPerSecond();
      case LIMITS_MESSAGES_BURST -> o.getLimits().getMessagesBurst();
      case LIMITS_MAX_RATE_LIMITED -> o.getLimits().getMaxRateLimitedFrames();
      case LIMITS_SLOW_CONSUMER_MS -> o.getLimits().getSlowConsumerMs();
      case LIMITS_MAX_OUTBOUND_BYTES -> o.getLimits().getMaxOutboundBytes();
      case LIMITS_MAX_ROOMS_PER_USER -> o.getLimits().getMaxRoomsPerUser();
      case API_KEYS -> o.getApiKeys();
      case ADMIN_KEYS -> o.getAdminKeys();
      case BACKEND_SECRETS -> o.getBackend().getSecrets();
      case PROXY_CONNECT_URL -> o.getProxy().getConnectUrl();
      case PROXY_CONNECT_TIMEOUT_MS -> o.getProxy().getConnectTimeoutMs();
      case PROXY_JOIN_URL -> o.getProxy().getJoinUrl();
      case PROXY_JOIN_TIMEOUT_MS -> o.getProxy().getJoinTimeoutMs();
      case PROXY_PUBLISH_URL -> o.getProxy().getPublishUrl();
      case PROXY_PUBLISH_TIMEOUT_MS -> o.getProxy().getPublishTimeoutMs();
      case PROXY_PUBLISH_STREAMS -> o.getProxy().getPublishStreams();
      case WEBHOOKS_URL -> o.getWebhooks().getUrl();
      case WEBHOOKS_EVENTS -> o.getWebhooks().getEvents();
      case WEBHOOKS_STORED_STREAMS -> o.getWebhooks().getStoredStreams();
      case WEBHOOKS_BATCH_SIZE -> o.getWebhooks().getBatchSize();
      case WEBHOOKS_MAX_WAIT_MS -> o.getWebhooks().getMaxWaitMs();
      case WEBHOOKS_TIMEOUT_MS -> o.getWebhooks().getTimeoutMs();
      case WEBHOOKS_RETRY_FOR_MS -> o.getWebhooks().getRetryForMs();
      case WEBHOOKS_BACKOFF_MIN_MS -> o.getWebhooks().getBackoffMinMs();
      case WEBHOOKS_BACKOFF_MAX_MS -> o.getWebhooks().getBackoffMaxMs();
      case WEBHOOKS_QUEUE_CAP -> o.getWebhooks().getQueueCap();
      case WEBHOOKS_DEAD_LETTER_CAP -> o.getWebhooks().getDeadLetterCap();
      case WEBHOOKS_TAKEOVER_MS -> o.getWebhooks().getTakeoverMs();
      case WEBHOOKS_ACK_TIMEOUT_MS -> o.getWebhooks().getAckTimeoutMs();
      case WEBHOOKS_UNDELIVERED_DELAY_MS -> o.getWebhooks().getUndeliveredDelayMs();
      case WEBHOOKS_PREVIEW_CHARS -> o.getWebhooks().getPreviewChars();
      case WEBHOOKS_INCLUDE_BODY -> o.getWebhooks().isIncludeBody();
      case AUTH_DEV_MODE -> o.getAuth().isDevMode();
      case AUTH_JWT_SECRET -> o.getAuth().getJwtSecret();
      case AUTH_JWT_PUBLIC_KEY -> o.getAuth().getJwtPublicKeyPem();
      case AUTH_JWT_ALGORITHM -> o.getAuth().getJwtAlgorithm();
      case AUTH_ISSUER -> o.getAuth().getIssuer();
      case AUTH_AUDIENCE -> o.getAuth().getAudience();
      case AUTH_LEEWAY_SECONDS -> o.getAuth().getLeewaySeconds();
      case AUTH_DEV_TOKEN_TTL_SECONDS -> o.getAuth().getDevTokenTtlSeconds();
      case PROTOCOL_HELLO_TIMEOUT_MS -> o.getProtocol().getHelloTimeoutMs();
      case PROTOCOL_HEARTBEAT_MS -> o.getProtocol().getHeartbeatMs();
      case DELIVERY_REPAIR_INTERVAL_MS -> o.getDelivery().getRepairIntervalMs();
      case STORE_TYPE -> o.getStore().getType();
      case STORE_MEMORY_MAX_BYTES -> o.getStore().getMemoryMaxBytes();
      case REDIS_MODE -> o.getStore().getRedis().getMode().name().toLowerCase(Locale.ROOT);
      case REDIS_URL -> o.getStore().getRedis().getUrls();
      case REDIS_MASTER_NAME -> o.getStore().getRedis().getMasterName();
      case REDIS_POOL_SIZE -> o.getStore().getRedis().getPoolSize();
      case REDIS_TIMEOUT_MS -> o.getStore().getRedis().getTimeoutMs();
      case RETENTION_MAX_MESSAGES -> o.getStore().getRetentionMessages();
      case RETENTION_MAX_AGE_SECONDS -> o.getStore().getRetentionSeconds();
      case IDEMPOTENCY_WINDOW_SECONDS -> o.getStore().getIdempotencySeconds();
      case PRESENCE_MAX_LISTED -> o.getPresence().getMaxListed();
      case PRESENCE_MAX_ROOM_ONLINE -> o.getPresence().getMaxRoomOnline();
      case LOG_FORMAT -> o.getLog().getFormat().wire();
    };
  }

  /**
   * Every setting, those of a section together (sections in the order they first appear in
   * {@link Setting}), as a config file nests them.
   */
  static Map<String, List<Setting>> bySection() {
    Map<String, List<Setting>> sections = new LinkedHashMap<>();
    for (Setting s : Setting.values()) {
      sections.computeIfAbsent(s.section(), k -> new ArrayList<>()).add(s);
    }
    return sections;
  }

  private static String pem(PemFiles files, Function<PemFiles, String> path) {
    return files == null ? null : path.apply(files);
  }
}
