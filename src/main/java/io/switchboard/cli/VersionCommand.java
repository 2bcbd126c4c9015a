package io.switchboard.cli;

import io.switchboard.BuildInfo;

/** {@code version}, {@code --version}, {@code -version}: what runs, for a bug report or a deploy check. */
final class VersionCommand implements Command {

  @Override
  public int run(Invocation invocation) {
    invocation.options(new Options());
    invocation.out().println("switchboard " + BuildInfo.version());
    invocation.out().println("java " + BuildInfo.javaVersion() + " (" + BuildInfo.javaVm() + ")");
    return 0;
  }
}
