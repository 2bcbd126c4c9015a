package io.switchboard.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The whole node configuration, already validated. Build it with {@link ConfigLoader}. */
public class SwitchboardOptions {

  public static final boolean DEFAULT_METRICS_ENABLED = true;
  /** Keys are compared in full on every API call; short ones could be guessed. */
  public static final int MIN_API_KEY_LENGTH = 24;

  private String nodeName;
  private boolean metricsEnabled = DEFAULT_METRICS_ENABLED;
  private HttpOptions http = new HttpOptions();
  private AuthOptions auth = new AuthOptions();
  private ProtocolOptions protocol = new ProtocolOptions();
  private DeliveryOptions delivery = new DeliveryOptions();
  private LimitsOptions limits = new LimitsOptions();
  private StoreOptions store = new StoreOptions();
  private PresenceOptions presence = new PresenceOptions();
  private ClusterOptions cluster = new ClusterOptions();
  private List<String> apiKeys = new ArrayList<>();
  private List<String> adminKeys = new ArrayList<>();
  private LogOptions log = new LogOptions();
  private BackendOptions backend = new BackendOptions();
  private ProxyOptions proxy = new ProxyOptions();
  private WebhookOptions webhooks = new WebhookOptions();

  static SwitchboardOptions read(ConfigReader r) {
    SwitchboardOptions o = new SwitchboardOptions();
    o.nodeName = r.string(Setting.NODE_NAME, defaultNodeName());
    if (!o.nodeName.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw r.fail(Setting.NODE_NAME, "must be 1-64 characters of letters, digits, '.', '_' or '-'");
    }
    o.metricsEnabled = r.bool(Setting.METRICS_ENABLED, DEFAULT_METRICS_ENABLED);
    o.http = HttpOptions.read(r);
    o.proxy = ProxyOptions.read(r);
    o.auth = AuthOptions.read(r, o.proxy.getConnectUrl() != null);
    o.http.defaultDemoPage(o.auth.isDevMode());
    o.protocol = ProtocolOptions.read(r);
    o.delivery = DeliveryOptions.read(r);
    o.limits = LimitsOptions.read(r);
    o.store = StoreOptions.read(r);
    o.presence = PresenceOptions.read(r);
    o.cluster = ClusterOptions.read(r);
    o.apiKeys = keys(r, Setting.API_KEYS, "API key");
    o.adminKeys = keys(r, Setting.ADMIN_KEYS, "admin key");
    o.log = LogOptions.read(r);
    o.backend = BackendOptions.read(r);
    o.webhooks = WebhookOptions.read(r);
    return o;
  }

  private static List<String> keys(ConfigReader r, Setting setting, String what) {
    List<String> keys = r.list(setting, new ArrayList<>());
    for (String key : keys) {
      if (key.length() < MIN_API_KEY_LENGTH) {
        throw r.fail(setting, "each " + what + " must be at least " + MIN_API_KEY_LENGTH + " characters");
      }
    }
    return keys;
  }

  /** Rules that span sections. */
  void validate() {
    if (proxy.anyConfigured() && backend.getSecrets().isEmpty()) {
      throw new ConfigException(Setting.BACKEND_SECRETS.key(), "required when a proxy is configured: the node signs "
          + "every request to your backend with it (see docs/proxies.md)");
    }
    if (webhooks.isEnabled() && backend.getSecrets().isEmpty()) {
      throw new ConfigException(Setting.BACKEND_SECRETS.key(), "required when webhooks.url is set: the node signs "
          + "every webhook request with it (see docs/webhooks.md)");
    }
    if (auth.isDevMode() && !http.isLoopback()) {
      throw new ConfigException(Setting.HTTP_HOST.key(), "dev mode only binds a loopback address, got \"" + http.getHost()
          + "\": set auth.jwtSecret or auth.jwtPublicKey (and auth.devMode=false) to bind other addresses");
    }
  }

  /** Host name plus a random suffix, so that several nodes on one machine stay distinct. */
  private static String defaultNodeName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_.-]", "");
    } catch (Exception e) {
      host = "node";
    }
    if (host.isEmpty() || host.length() > 50) {
      host = "node";
    }
    return host + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
  }

  public String getNodeName() {
    return nodeName;
  }

  public boolean isMetricsEnabled() {
    return metricsEnabled;
  }

  public HttpOptions getHttp() {
    return http;
  }

  public AuthOptions getAuth() {
    return auth;
  }

  public DeliveryOptions getDelivery() {
    return delivery;
  }

  public ProtocolOptions getProtocol() {
    return protocol;
  }

  public LimitsOptions getLimits() {
    return limits;
  }

  public StoreOptions getStore() {
    return store;
  }

  public PresenceOptions getPresence() {
    return presence;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  /** Keys accepted by the HTTP API (/api/v1); empty: the API is off. */
  public List<String> getApiKeys() {
    return apiKeys;
  }

  /**
   * Operator keys: they open the admin console (/admin) and every /api/v1 route; empty: the console
   * is off (404).
   */
  public List<String> getAdminKeys() {
    return adminKeys;
  }

  public ProxyOptions getProxy() {
    return proxy;
  }

  public BackendOptions getBackend() {
    return backend;
  }

  public WebhookOptions getWebhooks() {
    return webhooks;
  }

  public LogOptions getLog() {
    return log;
  }
}
