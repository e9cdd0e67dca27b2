package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The lock that makes one hub the maintenance leader: a PostgreSQL session-level advisory lock, held on a connection
 * of its own that is named after the node ({@code application_name}). The server drops the lock the moment that
 * connection ends, and the name lets another hub end the session of a node that left the cluster ({@link #unseat}).
 */
public final class MaintenanceLock {
  private static final long LOCK_KEY = 0x7461736b6d61696eL; // "taskmain"
  private static final String APPLICATION = "taskhub maintenance ";

  private final Vertx vertx;
  private final PgConnectOptions connect;
  private final Pool pool;
  private PgConnection connection;
  private Runnable onLost = () -> { };

  /** {@code clusterNodeId}: this node's Vert.x cluster id (null when not clustered), which names the connection. */
  MaintenanceLock(Vertx vertx, PgConnectOptions connect, Pool pool, String clusterNodeId) {
    this.vertx = vertx;
    this.connect = new PgConnectOptions(connect).addProperty("application_name",
        APPLICATION + (clusterNodeId == null ? "" : clusterNodeId));
    this.pool = pool;
  }

  /** Runs when the lock's connection closes (a database restart, a lost network): the lock, if held, is gone. */
  public void onLost(Runnable handler) {
    this.onLost = handler;
  }

  /** Tries to take the lock, connecting first when needed. True: this session holds it now. */
  public Future<Boolean> tryLock() {
    return (connection != null ? Future.succeededFuture(connection) : PgConnection.connect(vertx, connect).map(c -> {
      connection = c;
      c.closeHandler(x -> {
        connection = null;
        onLost.run();
      });
      return c;
    }))
        .compose(c -> Sql.simple(c, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")").execute())
        .map(rows -> rows.iterator().next().getBoolean(0) && connection != null);
  }

  /** Ends the connection: releases the lock at once for the next hub. */
  public void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /**
   * Ends the leader session of a node that left the cluster, so that its lock goes at once even if that node only
   * hangs. Answers whether there was one.
   */
  public Future<Boolean> unseat(String clusterNodeId) {
    return Sql.prepared(pool, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
        .execute(Tuple.of(APPLICATION + clusterNodeId))
        .map(rows -> rows.size() > 0);
  }
}
