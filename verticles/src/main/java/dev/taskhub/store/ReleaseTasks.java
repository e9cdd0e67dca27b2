package dev.taskhub.store;

import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
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
 * <p>
 * A lost node is not a failed attempt, but it is counted ({@code lost_attempts}): a task that takes its node down
 * (memory, the kernel's OOM killer) would otherwise run again forever, taking node after node with it. The release
 * that reaches {@code maxLostAttempts} ends the task ERROR ({@code NodeLost}) instead, in the same guarded
 * statement; its dependents are settled in the same transaction, and the trigger of 0002.sql queues its finalization
 * as for any ending.
 */
public final class ReleaseTasks {
  private static final String LOST = "lost_attempts + 1 >= $1::int"; // this release is the last one the task may have

  /**
   * The SET of a release by node loss. {@code $1} is task.maxLostAttempts and {@code $2} the log cap; {@code why}
   * is an SQL expression saying what happened, evaluated on the row before the change.
   */
  private static String lostSet(String why) {
    return "lost_attempts = lost_attempts + 1, "
        + "state = CASE WHEN " + LOST + " THEN 'ERROR' ELSE 'READY' END, "
        + "finished_at = CASE WHEN " + LOST + " THEN now() END, "
        + "run_at = CASE WHEN " + LOST + " THEN run_at ELSE now() END, "
        + "error = CASE WHEN " + LOST + " THEN jsonb_build_object('type', 'NodeLost', 'message', "
        + "  'its node was lost ' || lost_attempts + 1 || ' times while running it (task.maxLostAttempts ' || $1::int "
        + "  || '): it may be what takes its node down, so it is not run again') ELSE error END, "
        + "agent = CASE WHEN " + LOST + " THEN agent END, "  // an ended task keeps who ran it last
        + "node = CASE WHEN " + LOST + " THEN node END, "
        + "lease_token = NULL, lease_expires_at = NULL, "
        + "log = right(log || '[taskhub] ' || " + why + " || CASE WHEN " + LOST
        + "  THEN ': its node was lost ' || lost_attempts + 1 || E' times, it ends ERROR (NodeLost)\\n' "
        + "  ELSE E': released\\n' END, $2) ";
  }

  private final Pool pool;
  private final int maxLogChars;

  ReleaseTasks(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** Tasks a release touched: READY again, or ERROR when it was their last allowed node loss; and ready dependents. */
  public record Released(List<Task> tasks, List<String> readyTypes) {
    public List<Task> requeued() {
      return tasks.stream().filter(t -> t.state() == TaskState.READY).toList();
    }

    public List<Task> ended() {
      return tasks.stream().filter(t -> t.state().isFinal()).toList();
    }
  }

  /** An agent gives its task back (it is stopping): READY again at once; neither the attempt nor a loss counts. */
  public Future<Task> byAgent(long id, String leaseToken, String reason) {
    return Sql.prepared(pool, "UPDATE taskhub.task SET state = 'READY', attempts = greatest(attempts - 1, 0), "
            + "agent = NULL, node = NULL, lease_token = NULL, lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || '[taskhub] released: ' || $3 || E'\\n', $4) "
            + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
        .execute(Tuple.of(id, leaseToken, reason, maxLogChars))
        .compose(rows -> leased(rows, id));
  }

  /** Releases RUNNING tasks whose lease expired: their agent died or hangs. A lost node for each. */
  public Future<Released> expiredLeases(int maxLostAttempts) {
    return release("UPDATE taskhub.task SET " + lostSet("'the lease of ' || coalesce(agent, '?') || ' expired'")
        + "WHERE state = 'RUNNING' AND lease_expires_at < now() RETURNING " + COLUMNS,
        Tuple.of(
            maxLostAttempts,                                   // $1 task.maxLostAttempts
            maxLogChars));                                     // $2 log cap
  }

  /**
   * Releases the RUNNING tasks of a node that left the cluster, at once rather than when their leases expire.
   * {@code clusterNodeId} is the Hazelcast member id; node ids are {@code name@clusterNodeId} (see NodeIdentity).
   * Several hubs may see the same departure: the state guard lets exactly one of them release each task.
   */
  public Future<Released> ofNode(String clusterNodeId, int maxLostAttempts) {
    return release("UPDATE taskhub.task SET " + lostSet("'node ' || node || ' left the cluster'")
        + "WHERE state = 'RUNNING' AND (node = $3 OR node LIKE '%@' || $3) RETURNING " + COLUMNS,
        Tuple.of(
            maxLostAttempts,                                   // $1 task.maxLostAttempts
            maxLogChars,                                       // $2 log cap
            clusterNodeId));                                   // $3 the departed member's id
  }

  /** One release statement, and the dependents of the tasks it ended, in one transaction. */
  private Future<Released> release(String sql, Tuple arguments) {
    return pool.withTransaction(conn -> Sql.prepared(conn, sql).execute(arguments).compose(rows -> {
      List<Task> tasks = TaskRows.tasks(rows);
      List<Long> ended = tasks.stream().filter(t -> t.state().isFinal()).map(Task::id).toList();
      return SettleDependents.settle(conn, ended).map(ready -> new Released(tasks, ready));
    }));
  }
}
