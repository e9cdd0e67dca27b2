package dev.taskhub.hub;

import dev.taskhub.store.MaintenanceLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the one hub that runs the periodic jobs: the holder of a PostgreSQL session-level advisory lock, taken on
 * a connection of its own. PostgreSQL is what every hub shares and what the jobs guard, and the server drops the
 * lock the moment that connection ends — a killed JVM, a lost network, a database restart — so leadership moves
 * within a second or so, with no lease to wait out and no dependence on cluster membership (hubs of different
 * clusters, or unclustered ones, may share one database). A Hazelcast lock would be lost on a split brain in a way
 * PostgreSQL never sees. The hazard: for a moment two hubs may believe they lead (the server has not yet noticed a
 * dead connection); the jobs are guarded UPDATEs, so that costs duplicate work, never a wrong result. A leader
 * whose JVM hangs keeps its connection (the kernel still answers for it), so when Hazelcast reports a hub's node as
 * departed, another hub ends that node's leader session ({@link #unseat}): the connection is named after the node.
 * The lock, its connection and the unseating are SQL, so they live in the store ({@link MaintenanceLock}); this class
 * decides when to try, what leading means, and says so in the log.
 */
final class MaintenanceLeader {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceLeader.class);

  private final Vertx vertx;
  private final MaintenanceLock lock;
  private final String hubName;
  private boolean trying;
  private volatile boolean leader;
  private long timer = -1;

  MaintenanceLeader(Vertx vertx, MaintenanceLock lock, String hubName) {
    this.vertx = vertx;
    this.lock = lock;
    this.hubName = hubName;
    lock.onLost(() -> {
      if (leader) {
        leader = false;
        log.warn("{} lost its maintenance lock (its database connection closed); another hub takes over", hubName);
      }
    });
  }

  /** Ends the leader session of a node that left the cluster (see {@link MaintenanceLock#unseat}). */
  Future<Boolean> unseat(String clusterNodeId) {
    return lock.unseat(clusterNodeId);
  }

  boolean isLeader() {
    return leader;
  }

  void start(long retryMs) {
    tryToLead();
    timer = vertx.setPeriodic(retryMs, id -> tryToLead());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    leader = false;
    lock.close(); // releases the lock at once for the next hub
  }

  private void tryToLead() {
    if (leader || trying) {
      return;
    }
    trying = true;
    lock.tryLock()
        .onSuccess(held -> {
          if (held) {
            leader = true;
            log.info("{} runs the periodic maintenance (lease expiry, due tasks, finalizers, retention)", hubName);
          }
        })
        .onFailure(e -> log.debug("{} cannot try the maintenance lock now: {}", hubName, e.toString()))
        .onComplete(x -> trying = false);
  }
}
