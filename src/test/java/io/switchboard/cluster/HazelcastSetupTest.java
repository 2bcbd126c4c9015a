package io.switchboard.cluster;

import com.hazelcast.config.Config;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Hazelcast properties a node sets for itself, and an operator's own values left alone. */
class HazelcastSetupTest {

  @Test
  void aNodeReadsAnswersOnItsIoThreadsAndListensOnOneInterfaceByDefault() {
    Config config = new Config();
    HazelcastSetup.defaults(config);
    assertEquals("0", config.getProperty(HazelcastSetup.RESPONSE_THREADS));
    assertEquals("false", config.getProperty(HazelcastSetup.BIND_ANY));
  }

  @Test
  void whatTheOperatorsFileSetsIsKept() {
    Config config = new Config().setProperty(HazelcastSetup.RESPONSE_THREADS, "2").setProperty(HazelcastSetup.BIND_ANY, "true");
    HazelcastSetup.defaults(config);
    assertEquals("2", config.getProperty(HazelcastSetup.RESPONSE_THREADS));
    assertEquals("true", config.getProperty(HazelcastSetup.BIND_ANY));
  }
}
