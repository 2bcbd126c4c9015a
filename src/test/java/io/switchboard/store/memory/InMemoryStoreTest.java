package io.switchboard.store.memory;

import io.switchboard.config.StoreOptions;
import io.switchboard.store.Store;
import io.switchboard.store.StoreContract;

import java.time.Clock;

class InMemoryStoreTest extends StoreContract {

  @Override
  protected Store create(StoreOptions options, Clock clock) {
    return new InMemoryStore(options, clock);
  }
}
