package io.switchboard.support;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Redis and one Vert.x for a test class, emptied before every test (before the class's own
 * {@code @BeforeEach} methods). Register it as a static field:
 * {@code @RegisterExtension static final SharedRedis REDIS = new SharedRedis();}
 */
public final class SharedRedis implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private RedisServer redis;
  private Vertx vertx;

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = RedisServer.ephemeral().start();
    vertx = Vertx.vertx();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    redis.call("FLUSHALL");
  }

  @Override
  public void afterAll(ExtensionContext context) {
    vertx.close().await();
    redis.close();
  }

  public RedisServer redis() {
    return redis;
  }

  public Vertx vertx() {
    return vertx;
  }
}
