package dev.taskhub.hub;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.taskhub.api.Task;
import dev.taskhub.store.TaskStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Releases the RUNNING tasks of a node the moment it leaves the cluster, so they run again elsewhere within seconds
 * instead of after their lease. Hazelcast sees a killed JVM at once (its sockets close) and a hung one after
 * {@code cluster.maxNoHeartbeatSeconds}. It listens on the Hazelcast instance itself: Vert.x's
 * {@code ClusterManager.nodeListener} is a single slot that HA needs. Every hub listens; the release is a guarded
 * UPDATE, so each task is released by one of them. A node that left while no hub was up is covered by lease expiry.
 */
final class ReleaseDepartedNodes implements MembershipListener {
  private static final Logger log = LoggerFactory.getLogger(ReleaseDepartedNodes.class);
  private static final int TRIES = 5;
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final Vertx vertx;
  private final Context context;
  private final TaskStore store;
  private final Consumer<List<Task>> onReleased;
  private HazelcastClusterManager hazelcast;
  private UUID registration;

  private ReleaseDepartedNodes(Vertx vertx, Context context, TaskStore store, Consumer<List<Task>> onReleased) {
    this.vertx = vertx;
    this.context = context;
    this.store = store;
    this.onReleased = onReleased;
  }

  /** Starts listening when this Vert.x is clustered with Hazelcast; otherwise lease expiry alone recovers tasks. */
  static ReleaseDepartedNodes start(Vertx vertx, Context context, TaskStore store, Consumer<List<Task>> onReleased) {
    ReleaseDepartedNodes release = new ReleaseDepartedNodes(vertx, context, store, onReleased);
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hz) {
      release.hazelcast = hz;
      release.registration = hz.getHazelcastInstance().getCluster().addMembershipListener(release);
      log.info("a node that leaves the cluster has its RUNNING tasks released at once");
    }
    return release;
  }

  void stop() {
    if (registration != null) {
      try {
        hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(registration);
      } catch (RuntimeException e) {
        // Hazelcast is already shutting down
      }
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    // vertx-hazelcast keeps the Vert.x node id (ClusterManager.getNodeId()) in a member attribute.
    String attribute = event.getMember().getAttribute(VERTX_NODE_ID);
    String nodeId = attribute != null ? attribute : event.getMember().getUuid().toString();
    log.info("node {} left the cluster", nodeId);
    context.runOnContext(x -> release(nodeId, 1));
  }

  private void release(String nodeId, int attempt) {
    store.releaseNode(nodeId)
        .onSuccess(tasks -> {
          for (Task t : tasks) {
            log.warn("task {} ({}) attempt {} released: its node {} left the cluster", t.id(), t.type(), t.attempts(), nodeId);
          }
          if (!tasks.isEmpty()) {
            onReleased.accept(tasks);
          }
        })
        .onFailure(e -> {
          if (attempt < TRIES) {
            vertx.setTimer(1000L * attempt, id -> release(nodeId, attempt + 1));
          } else {
            log.warn("could not release the tasks of departed node {} ({}): their leases will expire instead", nodeId, e.toString());
          }
        });
  }
}
