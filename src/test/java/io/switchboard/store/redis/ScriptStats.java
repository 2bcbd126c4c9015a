package io.switchboard.store.redis;

import io.switchboard.support.RedisServer;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a real Redis says about its script cache and the script commands it ran. */
final class ScriptStats {

  private ScriptStats() {
  }

  /** Empties the script cache and the command and error counters. */
  static void reset(RedisServer node) {
    node.call("SCRIPT", "FLUSH");
    node.call("CONFIG", "RESETSTAT");
  }

  /** Every script the store registered is in this node's cache. */
  static void assertAllLoaded(RedisServer node) {
    List<LuaScript> scripts = LuaScript.registered();
    String[] args = new String[scripts.size() + 2];
    args[0] = "SCRIPT";
    args[1] = "EXISTS";
    for (int i = 0; i < scripts.size(); i++) {
      args[i + 2] = scripts.get(i).sha();
    }
    List<?> exists = (List<?>) node.call(args);
    assertEquals(scripts.size(), exists.stream().filter(e -> Long.valueOf(1).equals(e)).count(),
        "scripts cached on port " + node.port() + ": " + exists);
  }

  /** NOSCRIPT answers since the last reset: EVALSHAs written before their script was loaded. */
  static long noScriptErrors(RedisServer node) {
    return stat(node, "errorstats", "errorstat_NOSCRIPT:count=(\\d+)");
  }

  /** EVALs run since the last reset: the fallback of an EVALSHA that found no script. */
  static long evals(RedisServer node) {
    return stat(node, "commandstats", "cmdstat_eval:calls=(\\d+)");
  }

  static long blockedClients(RedisServer node) {
    return stat(node, "clients", "blocked_clients:(\\d+)");
  }

  private static long stat(RedisServer node, String section, String regex) {
    Matcher m = Pattern.compile(regex).matcher((String) node.call("INFO", section));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
