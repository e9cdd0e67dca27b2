package dev.taskhub.store;

import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * All SQL of finalization (table {@code taskhub.finalization}, one row per ending that something finalizes, made by a
 * trigger in the same transaction as the ending: see 0002.sql and 0007.sql). Like tasks, every change is guarded by the
 * state it expects and the lease token of the hub that claimed the row, so a hub that lost its lease changes nothing.
 * A row carries its task as it ended, so it outlives a retry or a deletion of its task; a deleted task's row is
 * removed once done.
 */
public final class FinalizationStore {
  /** The row's copy of its task keeps the task's data apart (see 0006.sql). */
  private static final String COLUMNS = TaskRows.columnsOf("task").replace("task.data::text AS data",
      "coalesce(claimed.task_data, task.data)::text AS data");

  private final Pool pool;

  FinalizationStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * One claimed finalization: the finished task, and which steps an earlier try already did ({@code "java:<class>"}
   * per Java finalizer, {@code "java"} for all of them as an older hub recorded it, {@code "event"}).
   */
  public record Pending(long id, Task task, int attempt, int tries, Set<String> stepsDone, String leaseToken) {
  }

  /** Lists the task types this hub's Java finalizers want, so that endings of those types are recorded for them. */
  public Future<Void> registerTypes(Set<String> types) {
    return Sql.prepared(pool, "INSERT INTO taskhub.finalizer_type SELECT unnest($1::text[]) ON CONFLICT DO NOTHING")
        .execute(Tuple.of(types.toArray(new String[0])))
        .mapEmpty();
  }

  /** How many finalizations a task has, pending or not (for tests and checks). */
  public Future<Long> countFor(long taskId) {
    return Sql.prepared(pool, "SELECT count(*) FROM taskhub.finalization WHERE task_id = $1").execute(Tuple.of(taskId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The types some hub's Java finalizers want ({@code "*"}: every type). */
  public Future<Set<String>> types() {
    return Sql.simple(pool, "SELECT type FROM taskhub.finalizer_type").execute().map(rows -> {
      Set<String> types = new java.util.HashSet<>();
      rows.forEach(r -> types.add(r.getString(0)));
      return types;
    });
  }

  /**
   * Claims up to {@code limit} due finalizations for {@code leaseSeconds}. SKIP LOCKED lets several hubs claim at
   * once without waiting on each other; a row whose lease ran out (its hub died) is due again.
   */
  public Future<List<Pending>> claim(int limit, int leaseSeconds) {
    String token = UUID.randomUUID().toString();
    return Sql.prepared(pool, "WITH claimed AS ("
            + "  UPDATE taskhub.finalization SET lease_token = $1::uuid, tries = tries + 1, "
            + "    lease_expires_at = now() + make_interval(secs => $2) "
            + "  WHERE id IN (SELECT id FROM taskhub.finalization "
            + "    WHERE state = 'PENDING' AND run_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now()) "
            + "    ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
            + "  RETURNING id, task_id, attempt, tries, steps_done, task_row, task_data) "
            + "SELECT claimed.id AS fin_id, claimed.attempt AS fin_attempt, claimed.tries AS fin_tries, "
            + "claimed.steps_done AS fin_steps, " + COLUMNS + " FROM claimed CROSS JOIN LATERAL ("
            // the task as it ended; a row made before 0007 has no copy unless its task was deleted: the task as it is
            + "  SELECT * FROM json_populate_record(NULL::taskhub.task, claimed.task_row) WHERE claimed.task_row IS NOT NULL "
            + "  UNION ALL SELECT * FROM taskhub.task WHERE task.id = claimed.task_id AND claimed.task_row IS NULL "
            + "  LIMIT 1) AS task")
        .execute(Tuple.of(
            token,                                             // $1 this claim's lease token
            leaseSeconds,                                      // $2 lease length
            limit))                                            // $3 batch size
        .map(rows -> {
          List<Pending> claimed = new ArrayList<>(rows.size());
          rows.forEach(r -> claimed.add(new Pending(r.getLong("fin_id"), TaskRows.task(r), r.getInteger("fin_attempt"),
              r.getInteger("fin_tries"), Set.copyOf(Arrays.asList(r.getArrayOfStrings("fin_steps"))), token)));
          return claimed;
        });
  }

  /** Records that steps are done, so that a retry skips them. False: the lease was lost. */
  public Future<Boolean> stepsDone(Pending p, List<String> steps) {
    return Sql.prepared(pool, "UPDATE taskhub.finalization SET steps_done = steps_done || $3::text[] "
            + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'PENDING'")
        .execute(Tuple.of(p.id(), p.leaseToken(), steps.toArray(new String[0])))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Marks finalizations of one claim done, in one statement; those of deleted tasks are removed instead (nothing
   * else would). The future holds how many were still held by that claim's lease; a lost one will be run again by
   * another hub, or already was.
   */
  public Future<Integer> done(List<Pending> finalized) {
    if (finalized.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return Sql.prepared(pool, "WITH d AS (SELECT unnest($1::bigint[]) AS id), "
            + "removed AS (DELETE FROM taskhub.finalization f USING d "
            + "  WHERE f.id = d.id AND f.lease_token = $2::uuid AND f.state = 'PENDING' "
            + "  AND NOT EXISTS (SELECT 1 FROM taskhub.task t WHERE t.id = f.task_id) RETURNING 1), "
            + "marked AS (UPDATE taskhub.finalization f SET state = 'DONE', finished_at = now(), last_error = NULL, "
            + "  lease_token = NULL, lease_expires_at = NULL FROM d "
            + "  WHERE f.id = d.id AND f.lease_token = $2::uuid AND f.state = 'PENDING' "
            + "  AND EXISTS (SELECT 1 FROM taskhub.task t WHERE t.id = f.task_id) RETURNING 1) "
            + "SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM marked) AS n")
        .execute(Tuple.of(
            finalized.stream().map(Pending::id).toArray(Long[]::new),             // $1 the finalizations
            finalized.get(0).leaseToken()))                                        // $2 the claim's lease token
        .map(rows -> rows.iterator().next().getLong("n").intValue());
  }

  /**
   * Gives a failed try back with exponential backoff (2^tries seconds, at most 5 minutes), or gives up after
   * {@code maxTries}, recording the steps this try did complete so that the next one skips them. The future holds
   * whether it was given up.
   */
  public Future<Boolean> failed(Pending p, List<String> stepsDone, String error, int maxTries) {
    return Sql.prepared(pool, "UPDATE taskhub.finalization SET steps_done = steps_done || $6::text[], "
            + "state = CASE WHEN tries >= $5 THEN 'FAILED' ELSE 'PENDING' END, "
            + "finished_at = CASE WHEN tries >= $5 THEN now() END, "
            + "run_at = now() + least(power(2, tries), 300) * interval '1 second', "
            + "last_error = $4, lease_token = NULL, lease_expires_at = NULL "
            + "WHERE id = $1 AND lease_token = $3::uuid AND state = 'PENDING' AND task_id = $2 RETURNING state")
        .execute(Tuple.of(p.id(), p.task().id(), p.leaseToken(), error, maxTries, stepsDone.toArray(new String[0])))
        .map(rows -> rows.size() == 1 && "FAILED".equals(rows.iterator().next().getString(0)));
  }
}
