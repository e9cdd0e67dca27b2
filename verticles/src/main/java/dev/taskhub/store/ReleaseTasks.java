package dev.taskhub.store;

import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.leased;

/**
 * Where a RUNNING task goes back to READY without ending: its agent gives it back, its lease expired, or its node
 * left the cluster. Each is one guarded UPDATE (the task must be RUNNING, and hold the agent's lease token where the
 * agent asks), so a task is released once however many hubs try.
 */
public final class ReleaseTasks {
  private final Pool pool;
  private final int maxLogChars;

  ReleaseTasks(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** An agent gives its task back (it is stopping): READY again at once, and the attempt does not count. */
  public Future<Task> byAgent(long id, String leaseToken, String reason) {
    return Sql.prepared(pool, "UPDATE taskhub.task SET state = 'READY', attempts = greatest(attempts - 1, 0), "
            + "agent = NULL, node = NULL, lease_token = NULL, lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || '[taskhub] released: ' || $3 || E'\\n', $4) "
            + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
        .execute(Tuple.of(id, leaseToken, reason, maxLogChars))
        .compose(rows -> leased(rows, id));
  }

  /** Releases RUNNING tasks whose lease expired: their agent died or hangs. They are READY again at once. */
  public Future<List<Task>> expiredLeases() {
    return Sql.prepared(pool, "UPDATE taskhub.task SET state = 'READY', agent = NULL, node = NULL, lease_token = NULL, "
            + "lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || E'[taskhub] the lease of ' || coalesce(agent, '?') || E' expired: released\\n', $1) "
            + "WHERE state = 'RUNNING' AND lease_expires_at < now() RETURNING " + COLUMNS)
        .execute(Tuple.of(maxLogChars))
        .map(TaskRows::tasks);
  }

  /**
   * Releases the RUNNING tasks of a node that left the cluster, at once rather than when their leases expire.
   * {@code clusterNodeId} is the Hazelcast member id; node ids are {@code name@clusterNodeId} (see NodeIdentity).
   * Several hubs may see the same departure: the state guard lets exactly one of them release each task.
   */
  public Future<List<Task>> ofNode(String clusterNodeId) {
    return Sql.prepared(pool, "UPDATE taskhub.task SET state = 'READY', agent = NULL, node = NULL, lease_token = NULL, "
            + "lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || '[taskhub] node ' || node || E' left the cluster: released\\n', $2) "
            + "WHERE state = 'RUNNING' AND (node = $1 OR node LIKE '%@' || $1) RETURNING " + COLUMNS)
        .execute(Tuple.of(
            clusterNodeId,                                     // $1 the departed member's id
            maxLogChars))                                      // $2 log cap
        .map(TaskRows::tasks);
  }
}
