package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.PooledRedisConnection;
import io.vertx.redis.client.impl.RedisClusterClient;
import io.vertx.redis.client.impl.RedisClusterConnection;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Loads every registered {@link LuaScript} (SCRIPT LOAD) on a connection before the first round is
 * written on it, so that an EVALSHA never meets an empty cache on a new connection: a restarted
 * server, a promoted replica, a node that joined a cluster.
 *
 * <p><b>Per socket, not per borrow.</b> The pipeline borrows a pooled connection for each burst of
 * commands, which on an idle node is each command; sending the scripts at every borrow would put
 * kilobytes of Lua ahead of nearly every command. A pooled socket outlives its borrows, so what it
 * holds is remembered per socket (weakly: a closed one drops out), and a borrow only sends what
 * was registered since (a script class initialized late).
 *
 * <p><b>Cluster.</b> A cluster connection sends a keyless command such as SCRIPT LOAD to one random
 * node of the slot map, replicas included, so one SCRIPT LOAD through it reaches one node. It holds
 * a pooled connection per node but does not expose them; they are read here by reflection, and each
 * node's socket is loaded like a standalone one, replicas included (a replica promoted later then
 * has the scripts). A node the cluster connection only connects to when redirected there (MOVED,
 * mid-borrow) gets that one command before the scripts, and the scripts before the next round; the
 * NOSCRIPT fallback covers that command. Should a later vertx-redis-client lack that field, SCRIPT
 * LOAD goes through the cluster connection with a reducer registered for SCRIPT, which makes the
 * client send it to the master of every slot range; a cluster connection is new at every borrow,
 * so the scripts are then sent at every borrow: correct, and costlier.
 */
final class ConnectionScripts {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionScripts.class);
  /** RedisClusterConnection's endpoint → pooled node connection map, or null if this client version has none. */
  private static final Field CLUSTER_NODES = clusterNodesField();
  private static boolean reducerRegistered;

  /** Whether the node connections of a cluster connection are loaded one by one (else through the reducer). */
  private final boolean throughNodes;
  /** How many of {@link LuaScript#registered()} each socket (or, without node access, each cluster connection) holds. */
  private final Map<Object, Integer> loaded = Collections.synchronizedMap(new WeakHashMap<>());

  private ConnectionScripts(boolean throughNodes) {
    this.throughNodes = throughNodes;
  }

  static ConnectionScripts create() {
    if (CLUSTER_NODES != null) {
      return new ConnectionScripts(true);
    }
    LOG.warn("vertx-redis-client's cluster connection does not expose its node connections: in cluster mode the"
        + " Lua scripts are sent to every master at each borrow of a connection");
    return throughClusterConnection();
  }

  /** The fallback when a cluster connection's node connections cannot be read; on its own for tests. */
  static ConnectionScripts throughClusterConnection() {
    registerReducer();
    return new ConnectionScripts(false);
  }

  /**
   * Writes SCRIPT LOAD, on every socket of {@code conn}, for the scripts registered since that socket
   * last loaded: called before a round is written, so Redis runs them ahead of its EVALSHAs. Their
   * replies are not waited for; one that fails makes the next round load again.
   */
  void prepare(RedisConnection conn) {
    List<LuaScript> scripts = LuaScript.registered();
    int count = scripts.size();
    if (count == 0) {
      return;
    }
    for (Target t : targets(conn)) {
      int have = loaded.getOrDefault(t.socket, 0);
      if (have >= count) {
        continue;
      }
      loaded.put(t.socket, count);
      for (int i = have; i < count; i++) {
        write(t.connection, scripts.get(i).loadRequest()).onFailure(e -> loaded.remove(t.socket));
      }
    }
  }

  /** {@code conn} answered NOSCRIPT: whichever of its sockets did has lost every script, so all load again. */
  void forget(RedisConnection conn) {
    for (Target t : targets(conn)) {
      loaded.remove(t.socket);
    }
  }

  private List<Target> targets(RedisConnection conn) {
    if (conn instanceof PooledRedisConnection pooled) {
      return List.of(new Target(pooled.actual(), pooled));
    }
    if (throughNodes && conn instanceof RedisClusterConnection cluster) {
      List<Target> nodes = new ArrayList<>();
      for (PooledRedisConnection node : nodes(cluster)) {
        nodes.add(new Target(node.actual(), node));
      }
      return nodes;
    }
    return List.of(new Target(conn, conn));
  }

  private static List<PooledRedisConnection> nodes(RedisClusterConnection cluster) {
    List<PooledRedisConnection> nodes = new ArrayList<>();
    Map<?, ?> map;
    try {
      map = (Map<?, ?>) CLUSTER_NODES.get(cluster);
    } catch (IllegalAccessException e) {
      // setAccessible succeeded when the class was loaded, so not expected; the lane must go on
      // whatever happens here, and an EVALSHA that misses still has its fallback
      return nodes;
    }
    // the cluster connection adds nodes it is redirected to under this lock
    synchronized (map) {
      for (Object node : map.values()) {
        if (node instanceof PooledRedisConnection p) {
          nodes.add(p);
        }
      }
    }
    return nodes;
  }

  private static Field clusterNodesField() {
    try {
      Field f = RedisClusterConnection.class.getDeclaredField("connections");
      if (!Map.class.isAssignableFrom(f.getType())) {
        return null;
      }
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Every master answers SCRIPT LOAD with the same SHA1; one answer stands for all. The client's reducer
   * table is global and not thread-safe, so it is written once, before this class hands out an instance.
   */
  private static synchronized void registerReducer() {
    if (!reducerRegistered) {
      RedisClusterClient.addReducer(Command.SCRIPT, replies -> replies.get(0));
      reducerRegistered = true;
    }
  }

  private static Future<Response> write(RedisConnection conn, Request request) {
    try {
      return conn.send(request);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A socket (the key of what it holds) and the connection to write on to reach it. */
  private record Target(Object socket, RedisConnection connection) {
  }
}
