package io.switchboard.config;

import java.util.List;

/** What the node shares with the application's backend, for the requests it makes to it. */
public class BackendOptions {

  private List<String> secrets = List.of();

  static BackendOptions read(ConfigReader r) {
    BackendOptions o = new BackendOptions();
    o.secrets = List.copyOf(r.list(Setting.BACKEND_SECRETS, List.of()));
    for (String secret : o.secrets) {
      if (secret.length() < AuthOptions.MIN_SECRET_LENGTH) {
        // the same floor as the JWT secret: a short HMAC key can be brute-forced from one request
        throw r.fail(Setting.BACKEND_SECRETS, "every secret must be at least " + AuthOptions.MIN_SECRET_LENGTH
            + " characters long");
      }
    }
    return o;
  }

  /**
   * Every request to the backend carries one signature per secret (io.switchboard.backend.Signature),
   * so that the backend can move to a new secret while the old one is still accepted. Required as
   * soon as any proxy or webhook is configured.
   */
  public List<String> getSecrets() {
    return secrets;
  }
}
