package io.switchboard.support;

import io.switchboard.NodeParts;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestNode} for a test class, with the class's own settings, started before its first
 * test and closed after its last. Register it as a static field:
 * {@code @RegisterExtension static final SharedNode NODE = new SharedNode(overrides);}
 * and reach the node with {@code NODE.node()}. The tests share it, so each uses users, rooms and
 * streams of its own.
 */
public final class SharedNode implements BeforeAllCallback, AfterAllCallback {

  private final JsonObject overrides;
  private final NodeParts parts;
  private TestNode node;

  /** A node as {@link TestNode#start()} makes it. */
  public SharedNode() {
    this(new JsonObject());
  }

  /** A node as {@link TestNode#start(JsonObject)} makes it. */
  public SharedNode(JsonObject overrides) {
    this(overrides, NodeParts.defaults());
  }

  /** A node as {@link TestNode#start(JsonObject, NodeParts)} makes it. */
  public SharedNode(JsonObject overrides, NodeParts parts) {
    this.overrides = overrides;
    this.parts = parts;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    node = TestNode.start(overrides, parts);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    // null when the start failed: that failure is the one to report
    if (node != null) {
      node.close();
      node = null;
    }
  }

  public TestNode node() {
    if (node == null) {
      throw new IllegalStateException("the node runs only while the class's tests do (register SharedNode as a static field)");
    }
    return node;
  }
}
