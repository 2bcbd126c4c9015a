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
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA1 (EVALSHA), so only the digest travels with each call. Redis forgets
 * its script cache on restart and every cluster node has its own, so a NOSCRIPT answer is met with
 * the full EVAL, which also caches the script for the next calls.
 */
final class LuaScript {

  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /** The concatenation of these resources of this package (shared helpers first). */
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
    return new LuaScript(source.toString());
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
