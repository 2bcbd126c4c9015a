package io.switchboard.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every thread's stack, written where a failed run's artefacts are kept, for hangs seen only in CI. */
public final class ThreadDump {

  private ThreadDump() {
  }

  /** This JVM's TCP sockets as `ss` sees them (state, queues, timers), when `ss` exists. */
  private static String sockets() {
    try {
      Process ss = new ProcessBuilder("ss", "-tanpo").redirectErrorStream(true).start();
      String pid = "pid=" + ProcessHandle.current().pid() + ",";
      StringBuilder out = new StringBuilder("TCP sockets of this JVM (ss -tanpo):\n");
      new String(ss.getInputStream().readAllBytes()).lines().filter(l -> l.contains(pid)).forEach(l -> out.append(l).append('\n'));
      ss.waitFor();
      return out.toString();
    } catch (IOException e) {
      return "(no ss: " + e.getMessage() + ")\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** @return the file written, or the reason it could not be */
  public static String write(String what) {
    StringBuilder out = new StringBuilder();
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
      for (StackTraceElement e : t.getStackTrace()) {
        out.append("    at ").append(e).append('\n');
      }
      out.append('\n');
    }
    out.append(sockets());
    try {
      Path file = Path.of("target", what + "-" + System.currentTimeMillis() + ".threads.txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, out);
      System.err.println(out);
      return file.toAbsolutePath().toString();
    } catch (IOException e) {
      return "(not written: " + e + ")";
    }
  }
}
