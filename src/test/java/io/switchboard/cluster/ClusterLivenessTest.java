package io.switchboard.cluster;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.switchboard.cluster.ClusterLiveness.inCluster;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readiness of a clustered node: in its Hazelcast view, and who beats in the store. */
class ClusterLivenessTest {

  @Test
  void aViewThatHoldsEveryBeatingNodeIsInTheCluster() {
    assertTrue(inCluster(Set.of("a", "b", "c"), Set.of("a", "b", "c")));
    // killed: gone from the view, its beat not expired yet, or expired already
    assertTrue(inCluster(Set.of("a", "b"), Set.of("a", "b", "c")));
    assertTrue(inCluster(Set.of("a", "b"), Set.of("a", "b")));
    // a member whose beat lapsed (its store calls stalled) does not make the others leave
    assertTrue(inCluster(Set.of("a", "b", "c"), Set.of("a", "b")));
  }

  @Test
  void aNodeAloneWhileTheOthersStillBeatIsOut() {
    // woken from a freeze: Hazelcast dropped the others, who removed it meanwhile, and who still beat
    assertFalse(inCluster(Set.of("c"), Set.of("a", "b", "c")));
    assertFalse(inCluster(Set.of("c", "d"), Set.of("a", "b", "c", "d", "e")));
    assertTrue(inCluster(Set.of("a", "b", "e"), Set.of("a", "b", "c", "d", "e")));
  }

  @Test
  void onATieTheSideHoldingTheLowestBeatingNodeStays() {
    assertTrue(inCluster(Set.of("a", "d"), Set.of("a", "b", "c", "d")));
    assertFalse(inCluster(Set.of("b", "c"), Set.of("a", "b", "c", "d")));
    assertTrue(inCluster(Set.of("a"), Set.of("a", "b")));
    assertFalse(inCluster(Set.of("b"), Set.of("a", "b")));
  }
}
