package dev.taskhub.store;

import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.leased;

/**
 * Where a claimed task ends because its agent can never start it, whatever attempts remain: ERROR at once, without
 * the retries a failed run gets (a retry would fail the same way). Guarded by the lease token like a completion; the
 * task's dependents are settled in the same transaction, and the trigger of 0002.sql queues its finalization.
 */
public final class RefuseTask {
  private final Pool pool;
  private final int maxLogChars;

  RefuseTask(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** The refused task as stored now, and the types of dependents that became READY because it ended. */
  public record Refused(Task task, List<String> readyTypes) {
  }

  public Future<Refused> refuse(long id, String leaseToken, JsonObject error) {
    return pool.withTransaction(conn -> Sql.prepared(conn, "UPDATE taskhub.task SET state = 'ERROR', finished_at = now(), "
                + "error = $3, lease_token = NULL, lease_expires_at = NULL, "
                + "log = right(log || '[taskhub] not started: ' || ($3::jsonb ->> 'message') || E'\\n', $4) "
                + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
            .execute(Tuple.of(
                id,                                            // $1
                leaseToken,                                    // $2 the refusing agent's lease
                error,                                         // $3 {"type", "message"}
                maxLogChars))                                  // $4 log cap
            .compose(rows -> leased(rows, id))
            .compose(task -> SettleDependents.settle(conn, List.of(task.id())).map(ready -> new Refused(task, ready))));
  }
}
