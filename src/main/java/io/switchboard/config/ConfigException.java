package io.switchboard.config;

/** A configuration problem, always tied to the key that caused it so the operator knows what to fix. */
public class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String message) {
    super("Invalid configuration: " + key + ": " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
