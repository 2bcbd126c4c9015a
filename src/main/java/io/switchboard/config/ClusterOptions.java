package io.switchboard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Cluster membership, applied on top of cluster.xml: a key that is not set leaves the file's value,
 * so operators can run from environment variables alone or from their own cluster.xml.
 */
public class ClusterOptions {

  public static final int DEFAULT_FAILURE_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_DRAIN_MS = 10_000;

  private String name;
  private Integer port;
  private List<String> members = new ArrayList<>();
  private String networkInterface;
  private String kubernetesService;
  private int failureTimeoutMs = DEFAULT_FAILURE_TIMEOUT_MS;
  private int drainMs = DEFAULT_DRAIN_MS;
  private PemFiles tls;

  static ClusterOptions read(ConfigReader r) {
    ClusterOptions o = new ClusterOptions();
    o.name = blankToNull(r.string(Setting.CLUSTER_NAME, null));
    int port = r.integer(Setting.CLUSTER_PORT, 0, 0, 65535);
    o.port = port == 0 ? null : port;
    o.members = r.list(Setting.CLUSTER_MEMBERS, new ArrayList<>());
    for (String m : o.members) {
      if (!m.matches("[A-Za-z0-9_.\\-\\[\\]:*]+")) {
        throw r.fail(Setting.CLUSTER_MEMBERS, "each member is host, host:port or an IP range like 10.0.0.1-20, got \"" + m + "\"");
      }
    }
    o.networkInterface = blankToNull(r.string(Setting.CLUSTER_INTERFACE, null));
    o.kubernetesService = blankToNull(r.string(Setting.CLUSTER_KUBERNETES_SERVICE, null));
    if (o.kubernetesService != null && !o.members.isEmpty()) {
      throw r.fail(Setting.CLUSTER_KUBERNETES_SERVICE, "set either cluster.kubernetesService or cluster.members, not both");
    }
    o.failureTimeoutMs = r.integer(Setting.CLUSTER_FAILURE_TIMEOUT_MS, DEFAULT_FAILURE_TIMEOUT_MS, 2_000, 600_000);
    o.drainMs = r.integer(Setting.CLUSTER_DRAIN_MS, DEFAULT_DRAIN_MS, 0, 3_600_000);
    o.tls = PemFiles.read(r, Setting.CLUSTER_TLS_CERT_PATH, Setting.CLUSTER_TLS_KEY_PATH, Setting.CLUSTER_TLS_TRUST_PATH);
    return o;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** Hazelcast cluster name: nodes only join a cluster of the same name. Null: cluster.xml's. */
  public String getName() {
    return name;
  }

  /** First Hazelcast port (others are tried upwards). Null: cluster.xml's. */
  public Integer getPort() {
    return port;
  }

  /** TCP-IP join members; empty: cluster.xml's list. */
  public List<String> getMembers() {
    return members;
  }

  public ClusterOptions setMembers(List<String> members) {
    this.members = members;
    return this;
  }

  /** Address or pattern (10.0.*.*) of the interface to bind. Null: cluster.xml's. */
  public String getNetworkInterface() {
    return networkInterface;
  }

  /** DNS name of a headless Kubernetes service: discovery by DNS instead of a member list. */
  public String getKubernetesService() {
    return kubernetesService;
  }

  /** A member silent this long is removed from the cluster (its sessions' presence goes offline). */
  public int getFailureTimeoutMs() {
    return failureTimeoutMs;
  }

  /** How long a draining node spreads its clients' reconnections over before it leaves. */
  public int getDrainMs() {
    return drainMs;
  }

  /**
   * Certificate, key and trusted certificates for mutual TLS on the event bus between nodes, or
   * null for plain TCP (Hazelcast's own membership traffic is not covered).
   */
  public PemFiles getTls() {
    return tls;
  }

  public ClusterOptions setDrainMs(int drainMs) {
    this.drainMs = drainMs;
    return this;
  }
}
