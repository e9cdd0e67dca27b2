package dev.taskhub.hub;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
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
 */
final class MaintenanceLeader {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceLeader.class);
  private static final long LOCK_KEY = 0x7461736b6d61696eL; // "taskmain"
  private static final String APPLICATION = "taskhub maintenance ";

  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final String hubName;
  private PgConnection connection;
  private boolean trying;
  private volatile boolean leader;
  private long timer = -1;

  /** {@code clusterNodeId}: this node's Vert.x cluster id (null when not clustered), which names the connection. */
  MaintenanceLeader(Vertx vertx, PgConnectOptions connect, String hubName, String clusterNodeId) {
    this.vertx = vertx;
    this.connect = new PgConnectOptions(connect).addProperty("application_name",
        APPLICATION + (clusterNodeId == null ? "" : clusterNodeId));
    this.hubName = hubName;
  }

  /**
   * Ends the leader session of a node that left the cluster, so that its lock goes at once even if that node only
   * hangs. Answers whether there was one.
   */
  static Future<Boolean> unseat(Pool pool, String clusterNodeId) {
    return pool.preparedQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
        .execute(Tuple.of(APPLICATION + clusterNodeId))
        .map(rows -> rows.size() > 0);
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
    if (connection != null) {
      connection.close(); // releases the lock at once for the next hub
      connection = null;
    }
  }

  private void tryToLead() {
    if (leader || trying) {
      return;
    }
    trying = true;
    (connection != null ? Future.succeededFuture(connection) : PgConnection.connect(vertx, connect).map(c -> {
      connection = c;
      c.closeHandler(x -> {
        connection = null;
        if (leader) {
          leader = false;
          log.warn("{} lost its maintenance lock (its database connection closed); another hub takes over", hubName);
        }
      });
      return c;
    }))
        .compose(c -> c.query("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")").execute())
        .onSuccess(rows -> {
          if (rows.iterator().next().getBoolean(0) && connection != null) {
            leader = true;
            log.info("{} runs the periodic maintenance (lease expiry, due tasks, finalizers)", hubName);
          }
        })
        .onFailure(e -> log.debug("{} cannot try the maintenance lock now: {}", hubName, e.toString()))
        .onComplete(x -> trying = false);
  }
}
