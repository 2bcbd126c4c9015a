package io.switchboard.cli;

/** One subcommand of {@code switchboard.jar}; returns the process's exit status. */
interface Command {

  int run(Invocation invocation);
}
