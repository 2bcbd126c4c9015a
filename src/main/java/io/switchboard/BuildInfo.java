package io.switchboard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What was built and what runs it: the one source of the version that {@code switchboard.jar version}
 * prints and {@code switchboard_build_info} exports. The version is the Maven project's, written into
 * {@code build.properties} by resource filtering. No git commit: reading it at build time without git
 * on the machine is not reliable (linked worktrees, a Docker build without .git); see
 * docs/decisions.md.
 */
public final class BuildInfo {

  /** When the build wrote no version (classes run outside a Maven build). */
  public static final String UNKNOWN = "unknown";

  private static final String VERSION = readVersion();

  private BuildInfo() {
  }

  public static String version() {
    return VERSION;
  }

  /** The runtime's version, e.g. {@code 17.0.13+11}. */
  public static String javaVersion() {
    return Runtime.version().toString();
  }

  /** The JVM that runs the node, e.g. {@code Eclipse Adoptium OpenJDK 64-Bit Server VM}. */
  public static String javaVm() {
    return System.getProperty("java.vm.vendor", "") + " " + System.getProperty("java.vm.name", "");
  }

  private static String readVersion() {
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "").trim();
      // an unfiltered copy still holds the placeholder
      return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    } catch (IOException e) {
      return UNKNOWN;
    }
  }
}
