package dev.taskhub.store;

import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.leased;

/** Where a running task's progress and log are recorded; every report renews the agent's lease. */
public final class ReportProgress {
  private final Pool pool;
  private final int maxLogChars;

  ReportProgress(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** Records progress and log lines and renews the lease; CONFLICT when the lease is no longer this agent's. */
  public Future<Task> report(ProgressReport report, int leaseSeconds) {
    return Sql.prepared(pool, "UPDATE taskhub.task SET lease_expires_at = now() + make_interval(secs => $3), "
            + "progress = coalesce($4, progress), progress_message = coalesce($5, progress_message), "
            + "progress_details = coalesce($6, progress_details), "
            + "log = CASE WHEN $7::text IS NULL THEN log ELSE right(log || $7, $8) END "
            + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
        .execute(Tuple.tuple()
            .addLong(report.id())                              // $1
            .addString(report.leaseToken())                    // $2
            .addInteger(leaseSeconds)                          // $3
            .addDouble(report.progress())                      // $4
            .addString(report.message())                       // $5
            .addValue(report.details())                        // $6
            .addString(report.log())                           // $7
            .addInteger(maxLogChars))                          // $8
        .compose(rows -> leased(rows, report.id()));
  }
}
