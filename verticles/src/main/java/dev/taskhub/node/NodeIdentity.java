package dev.taskhub.node;

import dev.taskhub.config.NodeSettings;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

/**
 * This node's id as stored in the {@code node} column of the tasks its agents run. In a cluster it is
 * {@code <name>@<cluster node id>}: a hub told by Hazelcast that a member left finds that member's tasks by the
 * part after the {@code @}. Every verticle computes it from the Vert.x instance it runs on, not from its config
 * alone, because a verticle redeployed by HA on another node carries the config of the node that died.
 */
public final class NodeIdentity {
  private NodeIdentity() {
  }

  public static String of(Vertx vertx, NodeSettings settings) {
    String configured = settings.nodeId() == null ? "node" : settings.nodeId();
    if (!vertx.isClustered()) {
      return configured;
    }
    return name(configured) + "@" + ((VertxInternal) vertx).clusterManager().getNodeId();
  }

  /** The cluster part of a node id (after the {@code @}), or null for a node that is not clustered. */
  public static String clusterNodeId(String nodeId) {
    int at = nodeId.indexOf('@');
    return at < 0 ? null : nodeId.substring(at + 1);
  }

  /** The readable part of a node id: everything before the {@code @}. */
  public static String name(String nodeId) {
    int at = nodeId.indexOf('@');
    return at < 0 ? nodeId : nodeId.substring(0, at);
  }
}
