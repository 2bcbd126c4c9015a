package io.switchboard.checker;

/**
 * One way the recorded history breaks the contract.
 *
 * @param check  which rule (see {@link Check}); runs can skip rules by name with -Dchecker.skip
 * @param event  the trace event where it showed (the trace is cut there)
 */
record Violation(Check check, String device, String user, String stream, int event, String detail) {

  @Override
  public String toString() {
    return check + " [" + check.item + "] " + (device != null ? device + " " : user != null ? user + " " : "")
        + (stream != null ? stream + ": " : ": ") + detail;
  }
}
