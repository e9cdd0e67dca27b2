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
 * All SQL of finalization (table {@code taskhub.finalization}, filled by a trigger when a task ends: see 0002.sql).
 * Like tasks, every change is guarded by the state it expects and the lease token of the hub that claimed the row,
 * so a hub that lost its lease changes nothing. A finalization outlives its task: a task deleted while its
 * finalization is pending leaves a copy of itself in the row (0004.sql), which the claim reads instead, and such a
 * row is removed once done.
 */
public final class FinalizationStore {
  /** A deleted task's copy keeps its data apart (see 0004.sql). */
  private static final String COLUMNS = TaskRows.COLUMNS.replace("data::text AS data",
      "coalesce(claimed.task_data, task.data)::text AS data");

  private final Pool pool;

  FinalizationStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * One claimed finalization: the finished task, and which steps an earlier try already did ({@code "java:<class>"}
   * per Java finalizer, {@code "java"} for all of them as an older hub recorded it, {@code "event"}).
   */
  public record Pending(Task task, int attempt, int tries, Set<String> stepsDone, String leaseToken) {
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
            + "  WHERE (task_id, attempt) IN (SELECT task_id, attempt FROM taskhub.finalization "
            + "    WHERE state = 'PENDING' AND run_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now()) "
            + "    ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) "
            + "  RETURNING task_id, attempt, tries, steps_done, task_row, task_data) "
            + "SELECT claimed.attempt AS fin_attempt, claimed.tries AS fin_tries, claimed.steps_done AS fin_steps, "
            + COLUMNS + " FROM claimed CROSS JOIN LATERAL ("
            // the task, or the copy it left when it was deleted: the same row type either way
            + "  SELECT * FROM taskhub.task WHERE task.id = claimed.task_id "
            + "  UNION ALL SELECT * FROM json_populate_record(NULL::taskhub.task, claimed.task_row) "
            + "    WHERE claimed.task_row IS NOT NULL "
            + "  LIMIT 1) AS task")
        .execute(Tuple.of(
            token,                                             // $1 this claim's lease token
            leaseSeconds,                                      // $2 lease length
            limit))                                            // $3 batch size
        .map(rows -> {
          List<Pending> claimed = new ArrayList<>(rows.size());
          rows.forEach(r -> claimed.add(new Pending(TaskRows.task(r), r.getInteger("fin_attempt"),
              r.getInteger("fin_tries"), Set.copyOf(Arrays.asList(r.getArrayOfStrings("fin_steps"))), token)));
          return claimed;
        });
  }

  /** Records that steps are done, so that a retry skips them. False: the lease was lost. */
  public Future<Boolean> stepsDone(Pending p, List<String> steps) {
    return Sql.prepared(pool, "UPDATE taskhub.finalization SET steps_done = steps_done || $4::text[] "
            + "WHERE task_id = $1 AND attempt = $2 AND lease_token = $3::uuid AND state = 'PENDING'")
        .execute(Tuple.of(p.task().id(), p.attempt(), p.leaseToken(), steps.toArray(new String[0])))
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
    return Sql.prepared(pool, "WITH d AS (SELECT * FROM unnest($1::bigint[], $2::int[]) AS d(task_id, attempt)), "
            + "removed AS (DELETE FROM taskhub.finalization f USING d "
            + "  WHERE f.task_id = d.task_id AND f.attempt = d.attempt AND f.lease_token = $3::uuid AND f.state = 'PENDING' "
            + "  AND f.task_row IS NOT NULL RETURNING 1), "
            + "marked AS (UPDATE taskhub.finalization f SET state = 'DONE', finished_at = now(), last_error = NULL, "
            + "  lease_token = NULL, lease_expires_at = NULL FROM d "
            + "  WHERE f.task_id = d.task_id AND f.attempt = d.attempt AND f.lease_token = $3::uuid AND f.state = 'PENDING' "
            + "  AND f.task_row IS NULL RETURNING 1) "
            + "SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM marked) AS n")
        .execute(Tuple.of(
            finalized.stream().map(p -> p.task().id()).toArray(Long[]::new),      // $1 task ids
            finalized.stream().map(Pending::attempt).toArray(Integer[]::new),      // $2 their attempts
            finalized.get(0).leaseToken()))                                        // $3 the claim's lease token
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
            + "WHERE task_id = $1 AND attempt = $2 AND lease_token = $3::uuid AND state = 'PENDING' RETURNING state")
        .execute(Tuple.of(p.task().id(), p.attempt(), p.leaseToken(), error, maxTries, stepsDone.toArray(new String[0])))
        .map(rows -> rows.size() == 1 && "FAILED".equals(rows.iterator().next().getString(0)));
  }
}
