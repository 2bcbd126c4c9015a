package io.switchboard.presence.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.MetadataPolicy;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;

/**
 * How Hazelcast must keep the presence maps. Set in code on top of cluster.xml, so that an
 * operator's file cannot lose it (docs/decisions.md, "Cluster state").
 */
public final class PresenceMaps {

  private PresenceMaps() {
  }

  public static void configure(Config config) {
    config.getSerializationConfig().addDataSerializableFactory(PresenceSerialization.FACTORY_ID, new PresenceSerialization());
    // users: small entries, kept serialized (the least heap per connected user)
    config.addMapConfig(presenceMap(config, HazelcastPresenceRegistry.USERS).setInMemoryFormat(InMemoryFormat.BINARY));
    // rooms: one entry per room holding its whole online set, changed in place by entry processors
    // (owner and backup apply the same delta). In BINARY each change would read and write the whole
    // set, twice: O(N) per change, O(N^2) for a room's reconnect storm.
    config.addMapConfig(presenceMap(config, HazelcastPresenceRegistry.ROOMS).setInMemoryFormat(InMemoryFormat.OBJECT));
  }

  /**
   * The map's configuration from cluster.xml if it has one (backup counts stay the operator's), as
   * a copy of its own: a wildcard entry must not be changed for every map it matches.
   */
  private static MapConfig presenceMap(Config config, String name) {
    MapConfig found = config.getMapConfigOrNull(name);
    MapConfig map = found == null ? new MapConfig(name) : new MapConfig(found).setName(name);
    // After a split heals, the larger half's entries win and the smaller half's only fill keys the
    // larger one lacks; then every node writes its own sessions again (HazelcastPresenceRegistry).
    // A policy that let the smaller half's entries win would bring back what the larger half closed.
    // Hazelcast inspects every value written for JSON query metadata by default; presence is never
    // queried that way, and each connect writes several entries
    return map.setMergePolicyConfig(new MergePolicyConfig(PutIfAbsentMergePolicy.class.getName(),
        MergePolicyConfig.DEFAULT_BATCH_SIZE)).setMetadataPolicy(MetadataPolicy.OFF);
  }
}
