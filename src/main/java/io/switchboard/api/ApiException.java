package io.switchboard.api;

/** An API request that cannot be honoured, with the HTTP status and protocol error code to answer. */
final class ApiException extends RuntimeException {

  final int status;
  final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  static ApiException unavailable(String message) {
    return new ApiException(503, "unavailable", message);
  }

  /** This node cannot see the part of presence the key is in (lost with members that may be alive). */
  static ApiException presenceUnknown() {
    return unavailable("presence unknown on this node: members left its view together and may still be alive; "
        + "retry (it knows again once the cluster is whole, or those members are found dead)");
  }
}
