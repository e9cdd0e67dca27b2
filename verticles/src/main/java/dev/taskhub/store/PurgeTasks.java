package dev.taskhub.store;

import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;

import static dev.taskhub.store.ScheduleRows.utc;

/**
 * Retention: deletes finished tasks (their logs are columns of the row) and their finalization rows, a small batch
 * per statement. SKIP LOCKED passes over any row another statement holds (a user's retry, a finalization claim), so
 * the purge never waits on the queue and the queue never waits on it for longer than one batch's delete.
 */
public final class PurgeTasks {
  private final Pool pool;

  PurgeTasks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Deletes up to {@code batch} tasks that ended before {@code finishedBefore} and whose finalization is not pending
   * (a callback still backing off must still find its task); the future holds how many went. Never a live task: the
   * state is checked on the locked row.
   */
  public Future<Integer> finishedBefore(Instant finishedBefore, int batch) {
    String[] finals = TaskState.where(TaskState::isFinal);
    return Sql.prepared(pool, "WITH doomed AS ("
            + "  SELECT id FROM taskhub.task t WHERE state = ANY($3) AND finished_at < $1"
            + "    AND NOT EXISTS (SELECT 1 FROM taskhub.finalization f WHERE f.task_id = t.id AND f.state = 'PENDING')"
            + "  ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED), "
            // Said outright rather than left to the foreign key's cascade, which a later migration may change.
            + "finalizations AS (DELETE FROM taskhub.finalization f USING doomed WHERE f.task_id = doomed.id) "
            + "DELETE FROM taskhub.task t USING doomed WHERE t.id = doomed.id AND t.state = ANY($3)")
        .execute(Tuple.tuple()
            .addOffsetDateTime(utc(finishedBefore))          // $1 the retention's cut-off
            .addInteger(batch)                               // $2 rows per statement
            .addArrayOfString(finals))                       // $3 the final states
        .map(rows -> rows.rowCount());
  }
}
