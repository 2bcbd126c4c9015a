package io.switchboard.config;

import io.switchboard.util.Redaction;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How to reach Redis: one server, a Sentinel-managed master, or a Redis Cluster. */
public class RedisOptions {

  public enum Mode { STANDALONE, SENTINEL, CLUSTER }

  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_MASTER_NAME = "mymaster";
  public static final int DEFAULT_POOL_SIZE = 8;
  public static final int DEFAULT_TIMEOUT_MS = 2_000;

  private Mode mode = Mode.STANDALONE;
  private List<String> urls = new ArrayList<>(List.of(DEFAULT_URL));
  private String masterName = DEFAULT_MASTER_NAME;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int timeoutMs = DEFAULT_TIMEOUT_MS;

  static RedisOptions read(ConfigReader r) {
    RedisOptions o = new RedisOptions();
    String mode = r.string(Setting.REDIS_MODE, "standalone");
    try {
      o.mode = Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw r.fail(Setting.REDIS_MODE, "must be standalone, sentinel or cluster, got \"" + mode + "\"");
    }
    o.urls = r.list(Setting.REDIS_URL, new ArrayList<>(List.of(DEFAULT_URL)));
    if (o.urls.isEmpty()) {
      throw r.fail(Setting.REDIS_URL, "needs at least one redis:// or rediss:// URL");
    }
    for (String url : o.urls) {
      if (!validUrl(url)) {
        throw r.fail(Setting.REDIS_URL, "not a redis:// or rediss:// URL with a host: \"" + Redaction.url(url) + "\"");
      }
    }
    if (o.mode == Mode.STANDALONE && o.urls.size() > 1) {
      throw r.fail(Setting.REDIS_URL, "standalone mode takes one URL; list several for sentinel or cluster mode");
    }
    o.masterName = r.string(Setting.REDIS_MASTER_NAME, DEFAULT_MASTER_NAME);
    o.poolSize = r.integer(Setting.REDIS_POOL_SIZE, DEFAULT_POOL_SIZE, 1, 1024);
    o.timeoutMs = r.integer(Setting.REDIS_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, 10, 600_000);
    return o;
  }

  private static boolean validUrl(String url) {
    try {
      URI u = new URI(url);
      return ("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) && u.getHost() != null;
    } catch (Exception e) {
      return false;
    }
  }

  public Mode getMode() {
    return mode;
  }

  public RedisOptions setMode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** One URL (standalone), the sentinels (sentinel) or some cluster nodes (cluster). */
  public List<String> getUrls() {
    return urls;
  }

  public RedisOptions setUrls(List<String> urls) {
    this.urls = urls;
    return this;
  }

  /** The master's name as the sentinels know it (sentinel mode). */
  public String getMasterName() {
    return masterName;
  }

  public RedisOptions setMasterName(String masterName) {
    this.masterName = masterName;
    return this;
  }

  /** Connections per node to Redis. */
  public int getPoolSize() {
    return poolSize;
  }

  public RedisOptions setPoolSize(int poolSize) {
    this.poolSize = poolSize;
    return this;
  }

  /** A Redis call that has not answered in this time fails (and a send answers unavailable). */
  public int getTimeoutMs() {
    return timeoutMs;
  }

  public RedisOptions setTimeoutMs(int timeoutMs) {
    this.timeoutMs = timeoutMs;
    return this;
  }
}
