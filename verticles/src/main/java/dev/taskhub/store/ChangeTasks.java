package dev.taskhub.store;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Priority;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.notFound;
import static dev.taskhub.store.TaskRows.task;

/** A user's changes to a task: suspend, resume, cancel, retry, a new priority, deletion. */
public final class ChangeTasks {
  private final Pool pool;
  private final int maxLogChars;

  ChangeTasks(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /**
   * Suspends, resumes, cancels or retries a task, if it is in a state the action applies to ({@link TaskState.Action}).
   * The row is locked first so the state it had is known exactly: a cancelled RUNNING task must have its executor
   * killed, and a refusal names the state that stood in the way. Cancelling settles the task's WAITING dependents.
   */
  public Future<Changed> apply(long id, TaskState.Action action) {
    String set = switch (action) {
      case SUSPEND -> "state = 'SUSPENDED', log = right(log || E'[taskhub] suspended on request\\n', $3)";
      case RESUME -> "state = 'READY', log = right(log || E'[taskhub] resumed on request\\n', $3)";
      case CANCEL -> "state = 'CANCELLED', finished_at = now(), lease_token = NULL, lease_expires_at = NULL, "
          + "error = jsonb_build_object('type', 'Cancelled', 'message', 'cancelled on request while ' || old.previous), "
          + "log = right(log || '[taskhub] cancelled on request while ' || old.previous || E'\\n', $3)";
      case RETRY -> "state = 'READY', attempts = 0, lost_attempts = 0, run_at = now(), result_code = NULL, result_data = NULL, error = NULL, "
          + "progress = NULL, progress_message = NULL, progress_details = NULL, agent = NULL, node = NULL, "
          + "started_at = NULL, finished_at = NULL, log = right(log || E'[taskhub] retried on request\\n', $3)";
    };
    return pool.withTransaction(conn -> Sql.prepared(conn, 
                "WITH old AS (SELECT id AS old_id, state AS previous FROM taskhub.task WHERE id = $1 FOR UPDATE) "
                + "UPDATE taskhub.task SET " + set + " FROM old "
                + "WHERE id = old.old_id AND state = ANY($2) RETURNING old.previous, " + COLUMNS)
            .execute(Tuple.of(
                id,                                            // $1
                action.fromNames(),                            // $2 the states this action applies to
                maxLogChars))                                  // $3 log cap
            .recover(e -> Future.failedFuture(DatabaseErrors.isUniqueViolation(e)
                ? Failure.CONFLICT.exception("task " + id + " cannot run again: another live task holds its key")
                : e))
            .compose(rows -> {
              if (rows.size() == 0) {
                return stateOf(conn, id).compose(state -> Future.failedFuture(Failure.CONFLICT.exception(action.refusal(id, state))));
              }
              Row row = rows.iterator().next();
              Changed changed = new Changed(task(row), TaskState.valueOf(row.getString("previous")), List.of());
              return action != TaskState.Action.CANCEL ? Future.succeededFuture(changed)
                  : SettleDependents.settle(conn, List.of(id))
                      .map(ready -> new Changed(changed.task(), changed.previous(), ready));
            }));
  }

  /** A user's change: the task as stored now, the state it was in, and the types of dependents that became READY. */
  public record Changed(Task task, TaskState previous, List<String> readyTypes) {
  }

  /** Changes the priority of a task that has not ended. */
  public Future<Task> changePriority(long id, Priority priority) {
    return Sql.prepared(pool, "UPDATE taskhub.task SET priority = $2 WHERE id = $1 AND state = ANY($3) RETURNING " + COLUMNS)
        .execute(Tuple.of(
            id,                                                // $1
            (short) priority.rank,                             // $2
            TaskState.where(TaskState::canChangePriority)))    // $3 the states whose priority may change
        .compose(rows -> rows.size() > 0 ? Future.succeededFuture(task(rows.iterator().next()))
            : stateOf(pool, id).compose(state -> Future.failedFuture(Failure.CONFLICT.exception(
                "task " + id + " is " + state + ": the priority of a task that ended cannot change"))));
  }

  /**
   * Deletes a task that is not RUNNING. A live task is cancelled first, in the same transaction, so its WAITING
   * dependents are settled as if it had been cancelled (run only if they run {@code always}) instead of waiting forever.
   */
  public Future<Changed> delete(long id) {
    String[] deletable = TaskState.where(TaskState::canBeDeleted);
    return pool.withTransaction(conn -> Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.task WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound(id));
          }
          Task task = task(rows.iterator().next());
          if (!task.state().canBeDeleted()) {
            return Future.failedFuture(Failure.CONFLICT.exception("task " + id + " is " + task.state() + ": cancel it first, then delete it"));
          }
          Future<List<String>> settled = task.state().isFinal() ? Future.succeededFuture(List.of())
              : Sql.prepared(conn, "UPDATE taskhub.task SET state = 'CANCELLED' WHERE id = $1 AND state = $2")
                  .execute(Tuple.of(id, task.state().name()))
                  .compose(x -> SettleDependents.settle(conn, List.of(id)));
          return settled.compose(ready -> Sql.prepared(conn, "DELETE FROM taskhub.task WHERE id = $1 AND state = ANY($2)")
              .execute(Tuple.tuple().addLong(id).addArrayOfString(deletable))
              .map(x -> new Changed(task, task.state(), ready)));
        }));
  }

  /** The state of a task, to explain why a guarded change did not apply; NOT_FOUND when there is no such task. */
  private static Future<TaskState> stateOf(SqlClient client, long id) {
    return Sql.prepared(client, "SELECT state FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(TaskState.valueOf(rows.iterator().next().getString(0))));
  }
}
