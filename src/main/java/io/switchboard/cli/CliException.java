package io.switchboard.cli;

import io.switchboard.Launcher;

/** A command that cannot do what it was asked, with the exit status that says why. */
final class CliException extends RuntimeException {

  private final int status;

  private CliException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** Wrong arguments: the usage follows the message, and the status is {@link Cli#EXIT_USAGE}. */
  static CliException usage(String message) {
    return new CliException(Cli.EXIT_USAGE, message);
  }

  /** Arguments right, configuration not fit for the command: {@link Launcher#EXIT_CONFIG}. */
  static CliException config(String message) {
    return new CliException(Launcher.EXIT_CONFIG, message);
  }

  int status() {
    return status;
  }
}
