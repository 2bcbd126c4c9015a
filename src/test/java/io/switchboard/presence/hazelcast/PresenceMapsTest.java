package io.switchboard.presence.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the code sets on the presence maps over an operator's cluster.xml, and what it leaves to it. */
class PresenceMapsTest {

  @Test
  void mergePolicyFormatAndMetadataAreSetInCodeBackupsStayTheOperators() {
    Config config = new Config();
    // an operator's wildcard entry, as cluster.xml may have it
    config.addMapConfig(new MapConfig("sb.*").setBackupCount(2).setMetadataPolicy(MetadataPolicy.CREATE_ON_UPDATE));
    PresenceMaps.configure(config);

    for (String name : new String[]{HazelcastPresenceRegistry.USERS, HazelcastPresenceRegistry.ROOMS}) {
      MapConfig map = config.getMapConfig(name);
      assertEquals(PutIfAbsentMergePolicy.class.getName(), map.getMergePolicyConfig().getPolicy(), name);
      assertEquals(MetadataPolicy.OFF, map.getMetadataPolicy(), name);
      assertEquals(2, map.getBackupCount(), name + ": the operator's backup count was lost");
    }
    assertEquals(InMemoryFormat.BINARY, config.getMapConfig(HazelcastPresenceRegistry.USERS).getInMemoryFormat());
    assertEquals(InMemoryFormat.OBJECT, config.getMapConfig(HazelcastPresenceRegistry.ROOMS).getInMemoryFormat());
    // the wildcard entry itself is not changed for the other maps it matches
    assertEquals(MetadataPolicy.CREATE_ON_UPDATE, config.getMapConfig("sb.other").getMetadataPolicy());
  }
}
