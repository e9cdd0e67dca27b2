package dev.taskhub.hub;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.taskhub.api.Task;
import dev.taskhub.store.ReleaseTasks;
import dev.taskhub.store.ReleaseTasks.Released;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Releases the RUNNING tasks of a node the moment it leaves the cluster, so they run again elsewhere within seconds
 * instead of after their lease. Hazelcast sees a killed JVM at once (its sockets close) and a hung one after
 * {@code cluster.maxNoHeartbeatSeconds}. It listens on the Hazelcast instance itself: Vert.x's
 * {@code ClusterManager.nodeListener} is a single slot that HA needs. Every hub listens; the release is a guarded
 * UPDATE, so each task is released by one of them. A node that left while no hub was up is covered by lease expiry.
 * A hub whose own JVM was frozen (SIGSTOP, a long GC) may wake up believing everyone else left; it releases
 * nothing for departures it sees within a while of waking, leaving them to lease expiry, so that it cannot take
 * tasks away from healthy nodes.
 */
final class ReleaseDepartedNodes implements MembershipListener {
  private static final Logger log = LoggerFactory.getLogger(ReleaseDepartedNodes.class);
  private static final int TRIES = 5;
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  private static final long TICK_MS = 500;

  private final Vertx vertx;
  private final Context context;
  private final ReleaseTasks releases;
  private final MaintenanceLeader leader;
  private final int maxLostAttempts;
  private final BiConsumer<ReleaseTasks.Released, String> onReleased;
  private HazelcastClusterManager hazelcast;
  private UUID registration;
  private long timer = -1;
  private volatile long lastTickNanos = System.nanoTime();
  private volatile long wokeNanos = System.nanoTime() - Long.MAX_VALUE / 2;
  private final long frozenNanos;   // a timer this late means the JVM was frozen, not merely busy
  private final long distrustNanos;

  private ReleaseDepartedNodes(Vertx vertx, Context context, ReleaseTasks releases, int maxLostAttempts,
                               MaintenanceLeader leader, BiConsumer<ReleaseTasks.Released, String> onReleased,
                               int maxNoHeartbeatSeconds) {
    // Others can look departed only after a freeze near the heartbeat timeout; half of it is no mere slowness.
    this.frozenNanos = Math.max(2, maxNoHeartbeatSeconds / 2) * 1_000_000_000L;
    // Long enough to cover the removals and the split-brain merge that follow a freeze.
    this.distrustNanos = (2L * maxNoHeartbeatSeconds + 20) * 1_000_000_000L;
    this.vertx = vertx;
    this.context = context;
    this.releases = releases;
    this.maxLostAttempts = maxLostAttempts;
    this.leader = leader;
    this.onReleased = onReleased;
  }

  /** Starts listening when this Vert.x is clustered with Hazelcast; otherwise lease expiry alone recovers tasks. */
  static ReleaseDepartedNodes start(Vertx vertx, Context context, ReleaseTasks releases, int maxLostAttempts,
                                    MaintenanceLeader leader, BiConsumer<ReleaseTasks.Released, String> onReleased) {
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager hz) {
      String configured = hz.getHazelcastInstance().getConfig().getProperty("hazelcast.max.no.heartbeat.seconds");
      int maxNoHeartbeat = configured == null ? 60 : Integer.parseInt(configured.trim()); // Hazelcast's default: 60
      ReleaseDepartedNodes release = new ReleaseDepartedNodes(vertx, context, releases, maxLostAttempts, leader, onReleased,
          maxNoHeartbeat);
      release.hazelcast = hz;
      release.timer = vertx.setPeriodic(TICK_MS, id -> release.tick());
      release.registration = hz.getHazelcastInstance().getCluster().addMembershipListener(release);
      log.info("a node that leaves the cluster has its RUNNING tasks released at once");
      return release;
    }
    return null;
  }

  /** Notices that this JVM was frozen: the timer fires late by much more than a slow machine explains. */
  private void tick() {
    long now = System.nanoTime();
    if (now - lastTickNanos > frozenNanos) {
      wokeNanos = now;
      log.warn("this hub was frozen for {} s: departures seen in the next {} s are left to lease expiry",
          (now - lastTickNanos) / 1_000_000_000L, distrustNanos / 1_000_000_000L);
    }
    lastTickNanos = now;
  }

  void stop() {
    vertx.cancelTimer(timer);
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
    long now = System.nanoTime();
    if (now - lastTickNanos > frozenNanos || now - wokeNanos < distrustNanos) {
      log.warn("node {} left the cluster as this hub woke from a freeze: its tasks are left to lease expiry", nodeId);
      return;
    }
    log.info("node {} left the cluster", nodeId);
    context.runOnContext(x -> release(nodeId, 1));
  }

  private void release(String nodeId, int attempt) {
    if (attempt == 1) {
      leader.unseat(nodeId).onSuccess(unseated -> {
        if (unseated) {
          log.warn("ended the maintenance session of departed node {}: another hub takes over", nodeId);
        }
      });
    }
    releases.ofNode(nodeId, maxLostAttempts)
        .onSuccess(released -> {
          if (!released.tasks().isEmpty()) {
            onReleased.accept(released, nodeId); // which logs one line per task
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
