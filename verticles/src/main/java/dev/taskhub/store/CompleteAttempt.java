package dev.taskhub.store;

import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.List;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.leased;

/** Where an attempt ends: DONE, ERROR, or READY again for a retry; a task that ended settles its dependents. */
public final class CompleteAttempt {
  private final Pool pool;
  private final int maxLogChars;

  CompleteAttempt(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /**
   * Ends one attempt. Success is DONE; a failure is retried with exponential backoff (e^attempts seconds, at most
   * an hour) while attempts remain, and is ERROR after. Guarded by the lease token: a stale agent changes nothing.
   */
  public Future<Completed> complete(CompletionReport r) {
    return pool.withTransaction(conn -> Sql.prepared(conn, "UPDATE taskhub.task SET "
                + "state = CASE WHEN $3 THEN 'DONE' WHEN attempts < max_attempts THEN 'READY' ELSE 'ERROR' END, "
                + "run_at = CASE WHEN NOT $3 AND attempts < max_attempts "
                + "              THEN now() + least(exp(least(attempts, 10)), 3600) * interval '1 second' ELSE run_at END, "
                + "finished_at = CASE WHEN $3 OR attempts >= max_attempts THEN now() END, "
                + "result_code = $4, result_data = $5, error = $6, "
                + "progress = CASE WHEN $3 THEN 100 ELSE coalesce($7, progress) END, "
                + "progress_message = coalesce($8, progress_message), "
                + "log = CASE WHEN $9::text IS NULL THEN log ELSE right(log || $9, $10) END, "
                + "agent = CASE WHEN $3 OR attempts >= max_attempts THEN agent END, "
                + "node = CASE WHEN $3 OR attempts >= max_attempts THEN node END, "
                + "lease_token = NULL, lease_expires_at = NULL "
                + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
            .execute(Tuple.tuple()
                .addLong(r.id())                               // $1
                .addString(r.leaseToken())                     // $2
                .addBoolean(r.succeeded())                     // $3
                .addInteger(r.exitCode())                      // $4
                .addString(r.resultData())                     // $5
                .addValue(r.error())                           // $6
                .addDouble(r.progress())                       // $7
                .addString(r.message())                        // $8
                .addString(r.log())                            // $9
                .addInteger(maxLogChars))                      // $10
            .compose(rows -> leased(rows, r.id()))
            .compose(task -> task.state().isFinal()
                ? SettleDependents.settle(conn, List.of(task.id())).map(ready -> new Completed(task, ready))
                : Future.succeededFuture(new Completed(task, List.of()))));
  }

  /** An ended attempt: the task as stored now, and the types of dependents that became READY because of it. */
  public record Completed(Task task, List<String> readyTypes) {
  }
}
