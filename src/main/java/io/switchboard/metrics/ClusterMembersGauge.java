package io.switchboard.metrics;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code switchboard_cluster_members}: the members of the Hazelcast cluster as this node sees them,
 * itself included. Only on a clustered node: a standalone node is in no cluster, and a series that
 * said 1 would look like a cluster that lost its other members. Nodes that disagree (a node that
 * sees fewer than the others) are a partition, or a node cut off after a long pause.
 *
 * <p>Kept up to date by Hazelcast's membership events, so that a scrape only reads a number and
 * never calls into Hazelcast (it runs on an event loop, and during a shutdown Hazelcast throws).
 * The listener lives as long as the Hazelcast member, which is as long as the node's Vert.x.
 */
public final class ClusterMembersGauge {

  public static final String MEMBERS = "switchboard.cluster.members";

  private ClusterMembersGauge() {
  }

  public static void register(MeterRegistry registry, HazelcastInstance hazelcast) {
    AtomicInteger members = new AtomicInteger();
    hazelcast.getCluster().addMembershipListener(new InitialMembershipListener() {
      @Override
      public void init(InitialMembershipEvent event) {
        members.set(event.getMembers().size());
      }

      @Override
      public void memberAdded(MembershipEvent event) {
        members.set(event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        members.set(event.getMembers().size());
      }
    });
    // the gauge holds its object weakly: the listener, held by Hazelcast, keeps it
    Gauge.builder(MEMBERS, members, AtomicInteger::get)
        .description("Members of the Hazelcast cluster in this node's view, itself included")
        .register(registry);
  }
}
