package io.switchboard.store.redis;

import io.switchboard.config.RedisOptions;
import io.switchboard.util.Redaction;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Turns the {@code redis} section of the configuration into a vertx-redis-client for its mode. */
final class RedisClients {

  private RedisClients() {
  }

  /**
   * @param rotation where in the URL list the client starts (sentinel and cluster modes try the
   *                 URLs in order), see {@link ClientGenerations}
   */
  static Redis create(Vertx vertx, RedisOptions options, int rotation) {
    List<String> urls = new ArrayList<>(options.getUrls());
    Collections.rotate(urls, -Math.floorMod(rotation, urls.size()));
    io.vertx.redis.client.RedisOptions client = new io.vertx.redis.client.RedisOptions()
        .setType(type(options.getMode()))
        .setEndpoints(urls)
        // the pipeline borrows at most one connection per lane, poolSize lanes; the cluster and
        // sentinel clients also borrow one now and then to read the topology
        .setMaxPoolSize(options.getPoolSize())
        .setMaxPoolWaiting(Math.max(32, options.getPoolSize() * 4))
        .setMaxWaitingHandlers(Math.max(2048, Pipeline.DEPTH * 2))
        // a connection attempt must not outlive the call that needs it
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(options.getTimeoutMs())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
    switch (options.getMode()) {
      case SENTINEL -> client.setMasterName(options.getMasterName()).setRole(RedisRole.MASTER);
      // writes and reads go to masters: a replica may lag behind the seqs it would report
      case CLUSTER -> client.setUseReplicas(RedisReplicas.NEVER);
      default -> { }
    }
    return Redis.createClient(vertx, client);
  }

  /** For logs and errors: the mode and the URLs without passwords. */
  static String describe(RedisOptions options) {
    String urls = options.getUrls().stream().map(Redaction::url).collect(Collectors.joining(", "));
    return options.getMode().name().toLowerCase(Locale.ROOT) + " " + urls
        + (options.getMode() == RedisOptions.Mode.SENTINEL ? " (master " + options.getMasterName() + ")" : "");
  }

  private static RedisClientType type(RedisOptions.Mode mode) {
    return switch (mode) {
      case STANDALONE -> RedisClientType.STANDALONE;
      case SENTINEL -> RedisClientType.SENTINEL;
      case CLUSTER -> RedisClientType.CLUSTER;
    };
  }
}
