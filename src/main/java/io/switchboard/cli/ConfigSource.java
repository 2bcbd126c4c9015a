package io.switchboard.cli;

import io.switchboard.config.ConfArgument;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The configuration a command reads, loaded as a node loads it at start: the {@code -conf} file (or
 * JSON) checked as {@link ConfArgument} checks it, the environment, and the rules of the command line.
 *
 * @param conf the -conf value, or null
 * @param file its parsed object, or null
 */
record ConfigSource(String conf, JsonObject file, Map<String, String> env, boolean clustered, SwitchboardOptions options) {

  /** @throws io.switchboard.config.ConfigException naming the key (or -conf) at the first problem */
  static ConfigSource load(String conf, Map<String, String> env, boolean clustered) {
    JsonObject file = ConfArgument.read(conf);
    return new ConfigSource(conf, file, env, clustered, ConfigLoader.load(file, env, clustered));
  }
}
