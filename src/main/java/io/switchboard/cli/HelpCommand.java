package io.switchboard.cli;

/** {@code help}, {@code -h}, {@code --help}: the usage, on standard output. */
final class HelpCommand implements Command {

  @Override
  public int run(Invocation invocation) {
    invocation.out().print(Usage.TEXT);
    return 0;
  }
}
