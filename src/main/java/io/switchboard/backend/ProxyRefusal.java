package io.switchboard.backend;

/**
 * The backend said no to a join or a send.
 *
 * @see PublishProxy
 */
public class ProxyRefusal extends RuntimeException {

  private final String code;

  /** @param code the backend's own reason code, passed to the client as it is; null when it gave none */
  public ProxyRefusal(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
