package dev.taskhub.store;

import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.taskhub.store.TaskRows.task;

/**
 * Where an attempt ends: DONE, ERROR, or READY again for a retry; a task that ended settles its dependents in the
 * same transaction. Many agents' endings share one statement: the hub gathers those that arrive while one is recorded.
 */
public final class CompleteAttempt {
  /**
   * Each ending is guarded by its lease token: a stale agent's report changes nothing and gets no row back. Rows are
   * found by primary key and token only: a task holds a token exactly while it is RUNNING (a constraint, 0010.sql),
   * and a "state = 'RUNNING'" here let the planner scan the RUNNING range of a partial index instead, whose dead entries
   * (every task that ran since the last VACUUM) each completion then read again.
   */
  static final String COMPLETE = "UPDATE taskhub.task t SET "
      + "state = CASE WHEN r.ok THEN 'DONE' WHEN t.attempts < t.max_attempts THEN 'READY' ELSE 'ERROR' END, "
      + "run_at = CASE WHEN NOT r.ok AND t.attempts < t.max_attempts "
      + "              THEN now() + least(exp(least(t.attempts, 10)), 3600) * interval '1 second' ELSE t.run_at END, "
      + "finished_at = CASE WHEN r.ok OR t.attempts >= t.max_attempts THEN now() END, "
      + "result_code = r.code, result_data = r.result, error = r.error::jsonb, "
      + "progress = CASE WHEN r.ok THEN 100 ELSE coalesce(r.progress, t.progress) END, "
      + "progress_message = coalesce(r.message, t.progress_message), "
      + "log = CASE WHEN r.log IS NULL THEN t.log ELSE right(t.log || r.log, $10) END, "
      + "agent = CASE WHEN r.ok OR t.attempts >= t.max_attempts THEN t.agent END, "
      + "node = CASE WHEN r.ok OR t.attempts >= t.max_attempts THEN t.node END, "
      + "lease_token = NULL, lease_expires_at = NULL "
      + "FROM unnest($1::bigint[], $2::uuid[], $3::bool[], $4::int4[], $5::text[], $6::text[], $7::float8[], $8::text[], "
      + "  $9::text[]) AS r(id, token, ok, code, result, error, progress, message, log) "
      + "WHERE t.id = r.id AND t.lease_token = r.token "
      + "RETURNING " + TaskRows.columnsOf("t");

  private final Pool pool;
  private final int maxLogChars;

  CompleteAttempt(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  /** Ends one attempt; CONFLICT when its lease is someone else's now. */
  public Future<Completed> complete(CompletionReport report) {
    return complete(List.of(report)).compose(ended -> ended.tasks().get(0) == null
        ? Future.failedFuture(Failure.CONFLICT.exception("task " + report.id() + " is not held by this lease any more"))
        : Future.succeededFuture(new Completed(ended.tasks().get(0), ended.readyTypes())));
  }

  /**
   * Ends the attempts of {@code reports}. Success is DONE; a failure is retried with exponential backoff (e^attempts
   * seconds, at most an hour) while attempts remain, and is ERROR after. The future holds, for each report in order,
   * the task as stored now, or null when its lease was no longer the reporter's.
   */
  public Future<Batch> complete(List<CompletionReport> reports) {
    int n = reports.size();
    Long[] ids = new Long[n];
    UUID[] tokens = new UUID[n];
    Boolean[] ok = new Boolean[n];
    Integer[] codes = new Integer[n];
    String[] results = new String[n], errors = new String[n], messages = new String[n], logs = new String[n];
    Double[] progress = new Double[n];
    Map<Long, Integer> byId = new HashMap<>();
    for (int i = 0; i < n; i++) {
      CompletionReport r = reports.get(i);
      ids[i] = r.id();
      tokens[i] = token(r.leaseToken());
      ok[i] = r.succeeded();
      codes[i] = r.exitCode();
      results[i] = r.resultData();
      errors[i] = r.error() == null ? null : r.error().encode();
      progress[i] = r.progress();
      messages[i] = r.message();
      logs[i] = r.log();
      byId.put(r.id(), i);
    }
    return pool.withTransaction(conn -> Sql.prepared(conn, COMPLETE)
        .execute(Tuple.tuple()
            .addArrayOfLong(ids)                               // $1 tasks
            .addArrayOfUUID(tokens)                            // $2 their lease tokens
            .addArrayOfBoolean(ok)                             // $3 succeeded: exit 0 and no ERROR line
            .addArrayOfInteger(codes)                          // $4 exit codes
            .addArrayOfString(results)                         // $5 result data
            .addArrayOfString(errors)                          // $6 error objects, as JSON text
            .addArrayOfDouble(progress)                        // $7 last progress
            .addArrayOfString(messages)                        // $8 last progress message
            .addArrayOfString(logs)                            // $9 log not yet reported
            .addInteger(maxLogChars))                          // $10 log cap
        .compose(rows -> {
          List<Task> tasks = new ArrayList<>(Collections.nCopies(n, null));
          List<Long> ended = new ArrayList<>();
          for (Row row : rows) {
            Task task = task(row);
            tasks.set(byId.get(task.id()), task);
            if (task.state().isFinal()) {
              ended.add(task.id());
            }
          }
          return SettleDependents.settle(conn, ended).map(ready -> new Batch(tasks, ready));
        }));
  }

  /** A malformed token can hold no lease: it matches nothing, like a stale one. */
  private static UUID token(String text) {
    try {
      return UUID.fromString(text);
    } catch (RuntimeException e) {
      return new UUID(0, 0);
    }
  }

  /** An ended attempt: the task as stored now, and the types of dependents that became READY because of it. */
  public record Completed(Task task, List<String> readyTypes) {
  }

  /** Ended attempts: each task as stored now (null where the lease was stale), and the types that became READY. */
  public record Batch(List<Task> tasks, List<String> readyTypes) {
  }
}
