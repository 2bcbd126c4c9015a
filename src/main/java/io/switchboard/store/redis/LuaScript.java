package io.switchboard.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Lua script run by its SHA1 (EVALSHA), so only the digest travels with each call.
 *
 * <p>Every script made by {@link #load} is registered, and the {@link Pipeline} loads all registered
 * scripts (SCRIPT LOAD) on each connection it opens, before any EVALSHA goes out on it
 * ({@link ConnectionScripts}): Redis forgets its script cache on restart, and every cluster node and
 * every replica that may be promoted has its own. A script registered after a connection opened
 * (its class initialized late) is loaded on it before its next round. So a script added to the
 * store is loaded like the others without being listed anywhere. A cache flushed under an open
 * connection (SCRIPT FLUSH) still answers NOSCRIPT; the pipeline then sends the full EVAL, never out
 * of its stream's order.
 */
final class LuaScript {

  /** In registration order, only ever appended to: a connection remembers how many of them it holds. */
  private static final List<LuaScript> REGISTERED = new CopyOnWriteArrayList<>();

  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** The concatenation of these resources of this package (shared helpers first), registered. */
  static LuaScript load(String... resources) {
    StringBuilder source = new StringBuilder();
    for (String name : resources) {
      try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException("missing script resource " + name);
        }
        source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return register(new LuaScript(source.toString()));
  }

  private static synchronized LuaScript register(LuaScript script) {
    for (LuaScript known : REGISTERED) {
      if (known.sha.equals(script.sha)) {
        return known;
      }
    }
    REGISTERED.add(script);
    return script;
  }

  /** Every script loaded so far, in the order they were; later ones are appended. */
  static List<LuaScript> registered() {
    return Collections.unmodifiableList(REGISTERED);
  }

  String sha() {
    return sha;
  }

  /** The SCRIPT LOAD that puts this script in a server's cache. */
  Request loadRequest() {
    return Request.cmd(Command.SCRIPT).arg("LOAD").arg(source);
  }

  /**
   * Runs the script on the lane of {@code tag}; every key must carry that hash tag. The EVAL with the
   * whole source is only built on NOSCRIPT: encoding kilobytes of Lua for every call, to throw it
   * away nearly always, took 4% of a loaded node's CPU (JFR, point-to-point at 20k msg/s).
   */
  Future<Response> run(Pipeline pipeline, String tag, long deadline, List<String> keys, List<String> args) {
    return pipeline.send(tag, request(Command.EVALSHA, sha, keys, args), () -> request(Command.EVAL, source, keys, args), deadline);
  }

  private static Request request(Command command, String script, List<String> keys, List<String> args) {
    Request r = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(r::arg);
    args.forEach(r::arg);
    return r;
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
