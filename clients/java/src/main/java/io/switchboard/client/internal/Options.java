package io.switchboard.client.internal;

import io.switchboard.client.ClientStore;
import io.switchboard.client.TokenProvider;
import okhttp3.OkHttpClient;

import java.util.Random;
import java.util.concurrent.Executor;

/**
 * The client's settings, filled by {@code SwitchboardClient.Builder} (which documents each and its
 * default) and read by the engine. The defaults match the JavaScript client's, which match the
 * node's defaults (rate limit, idempotency window, message size).
 */
public final class Options {
  public String url;
  public String token;
  public TokenProvider tokenProvider;
  public String device;
  public String clientName = "switchboard-java/" + Version.VERSION;
  public ClientStore store;
  public String storeKey;
  public Executor callbackExecutor;
  public OkHttpClient okHttpClient;
  public long backoffBaseMs = 1000;
  public long backoffCapMs = 10000;
  public long stableAfterMs = 10000;
  public long connectTimeoutMs = 15000;
  public long ackIntervalMs = 1000;
  public long persistIntervalMs = 1000;
  public int maxQueue = 1000;
  public int sendRetries = 5;
  public long retryBaseMs = 500;
  public long retryCapMs = 8000;
  public long requestTimeoutMs = 10000;
  public long idempotencyWindowMs = 600000;
  public int maxFrameBytes = 65536;
  public double maxFramesPerSecond = 80;
  public double maxFramesBurst = 160;
  public int maxAuthFailures = 3;
  public long tokenRefreshMarginMs = 60000;
  public long probeTimeoutMs = 5000;
  public Random random = new Random();

  /** A copy, so that a builder changed or built again after {@code build()} leaves that client's settings alone. */
  public Options copy() {
    Options c = new Options();
    c.url = url;
    c.token = token;
    c.tokenProvider = tokenProvider;
    c.device = device;
    c.clientName = clientName;
    c.store = store;
    c.storeKey = storeKey;
    c.callbackExecutor = callbackExecutor;
    c.okHttpClient = okHttpClient;
    c.backoffBaseMs = backoffBaseMs;
    c.backoffCapMs = backoffCapMs;
    c.stableAfterMs = stableAfterMs;
    c.connectTimeoutMs = connectTimeoutMs;
    c.ackIntervalMs = ackIntervalMs;
    c.persistIntervalMs = persistIntervalMs;
    c.maxQueue = maxQueue;
    c.sendRetries = sendRetries;
    c.retryBaseMs = retryBaseMs;
    c.retryCapMs = retryCapMs;
    c.requestTimeoutMs = requestTimeoutMs;
    c.idempotencyWindowMs = idempotencyWindowMs;
    c.maxFrameBytes = maxFrameBytes;
    c.maxFramesPerSecond = maxFramesPerSecond;
    c.maxFramesBurst = maxFramesBurst;
    c.maxAuthFailures = maxAuthFailures;
    c.tokenRefreshMarginMs = tokenRefreshMarginMs;
    c.probeTimeoutMs = probeTimeoutMs;
    c.random = random;
    return c;
  }

  /** The store key: positions under {@code <key>:positions}, the outbox under {@code <key>:outbox}. */
  public String storeKey() {
    if (storeKey != null) {
      return storeKey;
    }
    return "switchboard:" + (device != null ? device : "_");
  }
}
