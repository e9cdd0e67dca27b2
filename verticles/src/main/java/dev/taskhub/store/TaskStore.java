package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Failure;
import dev.taskhub.api.Priority;
import dev.taskhub.api.ProgressReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * All SQL about tasks. Every state change is one guarded UPDATE: it names the state it expects (and the lease
 * token where an agent is involved), so zero rows means a lost race, reported as {@link Failure#CONFLICT}.
 */
public final class TaskStore {

  /** The columns of {@link Task}, in the order {@link #task(Row)} reads them; the log is read only on request. */
  static final String COLUMNS = "id, type, title, state, priority, data::text AS data, run_at, attempts, "
      + "max_attempts, timeout_seconds, depends_on, run_if, key, progress, progress_message, progress_details, "
      + "result_code, result_data, error, agent, node, lease_expires_at, tag, app, finalize_url, created_at, "
      + "started_at, finished_at";
  /** Lists leave out large data: a page of tasks must stay small whatever the callers stored. */
  private static final String LIST_COLUMNS = COLUMNS.replace("data::text AS data",
      "CASE WHEN octet_length(data::text) <= 4096 THEN data::text ELSE 'null' END AS data");
  private static final String LIVE = "('WAITING','SUSPENDED','READY','RUNNING')";

  private final Pool pool;
  private final int maxLogChars;

  public TaskStore(Pool pool, int maxLogChars) {
    this.pool = pool;
    this.maxLogChars = maxLogChars;
  }

  public Pool pool() {
    return pool;
  }

  // ---------------------------------------------------------------- registration

  /**
   * Inserts all specs in one transaction (all or nothing). A spec whose key names a live task yields that task
   * instead of a new one. Tasks with predecessors start WAITING and are resolved at once, since their
   * predecessors may have ended already.
   */
  public Future<List<Task>> register(List<TaskSpec> specs) {
    return pool.withTransaction(conn -> checkDependencies(conn, specs)
        .compose(x -> conn.preparedQuery("INSERT INTO taskhub.task (type, title, state, priority, data, run_at, "
                + "max_attempts, timeout_seconds, depends_on, run_if, key, tag, app, finalize_url) "
                + "VALUES ($1, $2, $3, $4, $5::text::json, coalesce($6, now()), $7, $8, $9, $10, $11, $12, $13, $14) "
                + "ON CONFLICT (key) WHERE key IS NOT NULL AND state IN " + LIVE + " DO NOTHING "
                + "RETURNING " + COLUMNS)
            .executeBatch(specs.stream().map(TaskStore::insertParams).toList()))
        .compose(rows -> {
          List<Task> created = new ArrayList<>();
          List<Integer> duplicates = new ArrayList<>();
          int i = 0;
          for (RowSet<Row> rs = rows; rs != null; rs = rs.next(), i++) {
            if (rs.size() == 0) {
              duplicates.add(i);
              created.add(null);
            } else {
              created.add(task(rs.iterator().next()));
            }
          }
          return fillDuplicates(conn, specs, created, duplicates);
        })
        .compose(tasks -> {
          List<Long> waiting = tasks.stream().filter(t -> t.state() == TaskState.WAITING).map(Task::id).toList();
          if (waiting.isEmpty()) {
            return Future.succeededFuture(tasks);
          }
          return resolveWaiting(conn, waiting).compose(changed -> refresh(conn, tasks));
        }));
  }

  private static Tuple insertParams(TaskSpec s) {
    return Tuple.tuple()
        .addString(s.type())                                                      // $1 type
        .addString(s.title())                                                     // $2 title
        .addString(s.dependsOn().isEmpty() ? "READY" : "WAITING")                 // $3 state
        .addShort((short) s.priority().rank)                                      // $4 priority
        .addString(s.data())                                                      // $5 data
        .addOffsetDateTime(s.runAt() == null ? null : s.runAt().atOffset(ZoneOffset.UTC)) // $6 run_at
        .addInteger(s.maxAttempts())                                              // $7 max_attempts
        .addInteger(s.timeoutSeconds())                                           // $8 timeout_seconds
        .addArrayOfLong(s.dependsOn().toArray(new Long[0]))                       // $9 depends_on
        .addString(s.runIf().name())                                              // $10 run_if
        .addString(s.key())                                                       // $11 key
        .addString(s.tag())                                                       // $12 tag
        .addString(s.app())                                                       // $13 app
        .addString(s.finalizeUrl());                                              // $14 finalize_url
  }

  private static Future<Void> checkDependencies(SqlClient conn, List<TaskSpec> specs) {
    Set<Long> ids = new HashSet<>();
    specs.forEach(s -> ids.addAll(s.dependsOn()));
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("SELECT id FROM taskhub.task WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .compose(rows -> {
          rows.forEach(r -> ids.remove(r.getLong(0)));
          return ids.isEmpty() ? Future.succeededFuture()
              : Future.failedFuture(Failure.BAD_REQUEST.exception("'dependsOn' names unknown tasks: " + ids));
        });
  }

  private Future<List<Task>> fillDuplicates(SqlClient conn, List<TaskSpec> specs, List<Task> tasks, List<Integer> duplicates) {
    if (duplicates.isEmpty()) {
      return Future.succeededFuture(tasks);
    }
    String[] keys = duplicates.stream().map(i -> specs.get(i).key()).toArray(String[]::new);
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM taskhub.task WHERE key = ANY($1) AND state IN " + LIVE)
        .execute(Tuple.of(keys))
        .map(rows -> {
          Map<String, Task> byKey = new LinkedHashMap<>();
          rows.forEach(r -> byKey.put(r.getString("key"), task(r)));
          for (int i : duplicates) {
            tasks.set(i, byKey.get(specs.get(i).key()));
          }
          return tasks;
        });
  }

  private Future<List<Task>> refresh(SqlClient conn, List<Task> tasks) {
    Long[] ids = tasks.stream().map(Task::id).toArray(Long[]::new);
    return conn.preparedQuery("SELECT " + COLUMNS + " FROM taskhub.task WHERE id = ANY($1)").execute(Tuple.of(ids))
        .map(rows -> {
          Map<Long, Task> byId = new LinkedHashMap<>();
          rows.forEach(r -> byId.put(r.getLong("id"), task(r)));
          return tasks.stream().map(t -> byId.get(t.id())).toList();
        });
  }

  // ---------------------------------------------------------------- reading

  public Future<Task> get(long id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(task(rows.iterator().next())));
  }

  /** Newest first; {@code after} is the last id of the previous page. Fetches one more row to know whether a next page exists. */
  public Future<Page> list(TaskState state, String type, String tag, Long after, int limit) {
    return pool.preparedQuery("SELECT " + LIST_COLUMNS + " FROM taskhub.task "
            + "WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR type = $2) "
            + "AND ($3::text IS NULL OR tag = $3) AND ($4::bigint IS NULL OR id < $4) "
            + "ORDER BY id DESC LIMIT $5")
        .execute(Tuple.of(state == null ? null : state.name(), type, tag, after, limit + 1))
        .map(rows -> {
          List<Task> tasks = new ArrayList<>();
          rows.forEach(r -> tasks.add(task(r)));
          Long next = null;
          if (tasks.size() > limit) {
            tasks.remove(limit);
            next = tasks.get(limit - 1).id();
          }
          return new Page(tasks, next);
        });
  }

  public record Page(List<Task> tasks, Long next) {
  }

  public Future<JsonObject> stats() {
    return pool.query("SELECT state, priority, type, count(*) AS n FROM taskhub.task GROUP BY GROUPING SETS ((state), (priority, state), (type, state))")
        .execute()
        .map(rows -> {
          JsonObject byState = new JsonObject();
          for (TaskState s : TaskState.values()) {
            byState.put(s.name(), 0L);
          }
          JsonObject byPriority = new JsonObject();
          JsonObject byType = new JsonObject();
          for (Row r : rows) {
            String state = r.getString("state");
            long n = r.getLong("n");
            if (r.getValue("priority") != null) {
              String p = Priority.ofRank(r.getShort("priority")).name();
              byPriority.put(p, byPriority.getJsonObject(p, new JsonObject()).put(state, n));
            } else if (r.getString("type") != null) {
              String t = r.getString("type");
              byType.put(t, byType.getJsonObject(t, new JsonObject()).put(state, n));
            } else {
              byState.put(state, n);
            }
          }
          return new JsonObject().put("byState", byState).put("byPriority", byPriority).put("byType", byType);
        });
  }

  /** The task's stored log (its tail, when capped) and its state, so a follower knows when to stop. */
  public Future<TaskLog> log(long id) {
    return pool.preparedQuery("SELECT log, state FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(new TaskLog(rows.iterator().next().getString("log"),
                TaskState.valueOf(rows.iterator().next().getString("state")))));
  }

  public record TaskLog(String log, TaskState state) {
  }

  // ---------------------------------------------------------------- a user's changes

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
      case RETRY -> "state = 'READY', attempts = 0, run_at = now(), result_code = NULL, result_data = NULL, error = NULL, "
          + "progress = NULL, progress_message = NULL, progress_details = NULL, agent = NULL, node = NULL, "
          + "started_at = NULL, finished_at = NULL, log = right(log || E'[taskhub] retried on request\\n', $3)";
    };
    return pool.withTransaction(conn -> conn.preparedQuery(
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
                  : resolveWaiting(conn, List.of(id)).map(ready -> new Changed(changed.task(), changed.previous(), ready));
            }));
  }

  /** A user's change: the task as stored now, the state it was in, and the types of dependents that became READY. */
  public record Changed(Task task, TaskState previous, List<String> readyTypes) {
  }

  /** Changes the priority of a task that has not ended. */
  public Future<Task> changePriority(long id, Priority priority) {
    return pool.preparedQuery("UPDATE taskhub.task SET priority = $2 WHERE id = $1 AND state = ANY($3) RETURNING " + COLUMNS)
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
    return pool.withTransaction(conn -> conn.preparedQuery("SELECT " + COLUMNS + " FROM taskhub.task WHERE id = $1 FOR UPDATE")
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
              : conn.preparedQuery("UPDATE taskhub.task SET state = 'CANCELLED' WHERE id = $1 AND state = $2")
                  .execute(Tuple.of(id, task.state().name()))
                  .compose(x -> resolveWaiting(conn, List.of(id)));
          return settled.compose(ready -> conn.preparedQuery("DELETE FROM taskhub.task WHERE id = $1 AND state = ANY($2)")
              .execute(Tuple.tuple().addLong(id).addArrayOfString(deletable))
              .map(x -> new Changed(task, task.state(), ready)));
        }));
  }

  /** The state of a task, to explain why a guarded change did not apply; NOT_FOUND when there is no such task. */
  private static Future<TaskState> stateOf(SqlClient client, long id) {
    return client.preparedQuery("SELECT state FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(TaskState.valueOf(rows.iterator().next().getString(0))));
  }

  private static TaskhubException notFound(long id) {
    return Failure.NOT_FOUND.exception("no task " + id);
  }

  // ---------------------------------------------------------------- the agent's side

  /**
   * Hands the most urgent READY task of the given types to one agent. SKIP LOCKED makes concurrent claimers take
   * disjoint rows without waiting on each other.
   *
   * <p>The candidate is the best of one index probe per type (the LATERAL join) rather than one ordered scan
   * over all READY rows filtered by type, which walked a whole backlog of other types on every claim. Median
   * time from registration to start with N READY tasks of a type no agent runs ({@code taskhub bench --backlog N}):
   * ordered scan 206 ms at 100,000 and 1.4 s at 1,000,000; probes 4.9 ms and 3.3 ms. A probe may lock one row
   * per type for the instant of this statement; other claimers skip those rows and take the next.
   */
  public Future<Claim> claim(ClaimRequest request, int leaseSeconds) {
    String token = UUID.randomUUID().toString();
    return pool.preparedQuery("UPDATE taskhub.task SET state = 'RUNNING', attempts = attempts + 1, agent = $1, node = $2, "
            + "lease_token = $3::uuid, lease_expires_at = now() + make_interval(secs => $4), started_at = now(), "
            + "finished_at = NULL, progress = NULL, progress_message = NULL, progress_details = NULL, "
            + "log = CASE WHEN attempts = 0 THEN log ELSE right(log || '--- attempt ' || (attempts + 1) || E' ---\\n', $6) END "
            + "WHERE id = (SELECT c.id FROM unnest($5::text[]) AS wanted(type) CROSS JOIN LATERAL ("
            + "    SELECT id, priority, run_at FROM taskhub.task "
            + "    WHERE state = 'READY' AND type = wanted.type AND run_at <= now() "
            + "    ORDER BY priority, run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) c "
            + "  ORDER BY c.priority, c.run_at, c.id LIMIT 1) "
            + "RETURNING " + COLUMNS)
        .execute(Tuple.of(
            request.agent(),                                   // $1 agent
            request.node(),                                    // $2 node
            token,                                             // $3 lease token
            leaseSeconds,                                      // $4 lease length
            request.types().toArray(new String[0]),            // $5 types this agent can run
            maxLogChars))                                      // $6 log cap
        .map(rows -> rows.size() == 0 ? null : new Claim(task(rows.iterator().next()), token));
  }

  /** Records progress and log lines and renews the lease; CONFLICT when the lease is no longer this agent's. */
  public Future<Task> report(ProgressReport report, int leaseSeconds) {
    return pool.preparedQuery("UPDATE taskhub.task SET lease_expires_at = now() + make_interval(secs => $3), "
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
        .compose(rows -> single(rows, report.id()));
  }

  /**
   * Ends one attempt. Success is DONE; a failure is retried with exponential backoff (e^attempts seconds, at most
   * an hour) while attempts remain, and is ERROR after. Guarded by the lease token: a stale agent changes nothing.
   */
  public Future<Completed> complete(CompletionReport r) {
    return pool.withTransaction(conn -> conn.preparedQuery("UPDATE taskhub.task SET "
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
            .compose(rows -> single(rows, r.id()))
            .compose(task -> task.state().isFinal()
                ? resolveWaiting(conn, List.of(task.id())).map(ready -> new Completed(task, ready))
                : Future.succeededFuture(new Completed(task, List.of()))));
  }

  /** An ended attempt: the task as stored now, and the types of dependents that became READY because of it. */
  public record Completed(Task task, List<String> readyTypes) {
  }

  /** An agent gives its task back (it is stopping): READY again at once, and the attempt does not count. */
  public Future<Task> release(long id, String leaseToken, String reason) {
    return pool.preparedQuery("UPDATE taskhub.task SET state = 'READY', attempts = greatest(attempts - 1, 0), "
            + "agent = NULL, node = NULL, lease_token = NULL, lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || '[taskhub] released: ' || $3 || E'\\n', $4) "
            + "WHERE id = $1 AND lease_token = $2::uuid AND state = 'RUNNING' RETURNING " + COLUMNS)
        .execute(Tuple.of(id, leaseToken, reason, maxLogChars))
        .compose(rows -> single(rows, id));
  }

  /** Releases RUNNING tasks whose lease expired: their agent died or hangs. They are READY again at once. */
  public Future<List<Task>> releaseExpiredLeases() {
    return pool.preparedQuery("UPDATE taskhub.task SET state = 'READY', agent = NULL, node = NULL, lease_token = NULL, "
            + "lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || E'[taskhub] the lease of ' || coalesce(agent, '?') || E' expired: released\\n', $1) "
            + "WHERE state = 'RUNNING' AND lease_expires_at < now() RETURNING " + COLUMNS)
        .execute(Tuple.of(maxLogChars))
        .map(TaskStore::tasks);
  }

  /**
   * Releases the RUNNING tasks of a node that left the cluster, at once rather than when their leases expire.
   * {@code clusterNodeId} is the Hazelcast member id; node ids are {@code name@clusterNodeId} (see NodeIdentity).
   * Several hubs may see the same departure: the state guard lets exactly one of them release each task.
   */
  public Future<List<Task>> releaseNode(String clusterNodeId) {
    return pool.preparedQuery("UPDATE taskhub.task SET state = 'READY', agent = NULL, node = NULL, lease_token = NULL, "
            + "lease_expires_at = NULL, run_at = now(), "
            + "log = right(log || '[taskhub] node ' || node || E' left the cluster: released\\n', $2) "
            + "WHERE state = 'RUNNING' AND (node = $1 OR node LIKE '%@' || $1) RETURNING " + COLUMNS)
        .execute(Tuple.of(
            clusterNodeId,                                     // $1 the departed member's id
            maxLogChars))                                      // $2 log cap
        .map(TaskStore::tasks);
  }

  /**
   * Types with READY tasks that became due in (since, now]: delayed tasks and retries whose backoff ended.
   * {@code now} is the database's clock, so the next call starts exactly where this one stopped.
   */
  public Future<Due> typesDueSince(Instant since) {
    return pool.preparedQuery("SELECT now() AS until, ARRAY(SELECT DISTINCT type FROM taskhub.task "
            + "WHERE state = 'READY' AND run_at > $1 AND run_at <= now() LIMIT 1000) AS types")
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Due(row.getOffsetDateTime("until").toInstant(), List.of(row.getArrayOfStrings("types")));
        });
  }

  public record Due(Instant until, List<String> types) {
  }

  // ---------------------------------------------------------------- dependencies

  /**
   * Settles WAITING tasks that depend on any of {@code ids} (or are among them): once all their predecessors
   * ended they become READY, or CANCELLED when one did not end DONE and they run only on success. A cancellation
   * cascades to its own dependents. The future holds the types that became READY, for the availability broadcast.
   */
  private Future<List<String>> resolveWaiting(SqlClient conn, List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return conn.preparedQuery("WITH settled AS ("
            + "  SELECT t.id, (t.run_if = 'always' OR NOT EXISTS ("
            + "      SELECT 1 FROM taskhub.task p WHERE p.id = ANY(t.depends_on) AND p.state <> 'DONE')) AS runs"
            + "  FROM taskhub.task t"
            + "  WHERE t.state = 'WAITING' AND (t.depends_on && $1 OR t.id = ANY($1))"
            + "    AND NOT EXISTS (SELECT 1 FROM taskhub.task p WHERE p.id = ANY(t.depends_on) AND p.state IN " + LIVE + ")"
            + "  FOR UPDATE OF t) "
            + "UPDATE taskhub.task t SET run_at = now(), "
            + "  state = CASE WHEN s.runs THEN 'READY' ELSE 'CANCELLED' END, "
            + "  finished_at = CASE WHEN s.runs THEN NULL ELSE now() END, "
            + "  error = CASE WHEN s.runs THEN NULL "
            + "    ELSE jsonb_build_object('type', 'DependencyFailed', 'message', 'a task it depends on did not end DONE') END "
            + "FROM settled s WHERE t.id = s.id AND t.state = 'WAITING' "
            + "RETURNING t.id, t.state, t.type")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .compose(rows -> {
          List<Long> cancelled = new ArrayList<>();
          Set<String> ready = new HashSet<>();
          rows.forEach(r -> {
            if ("CANCELLED".equals(r.getString("state"))) {
              cancelled.add(r.getLong("id"));
            } else {
              ready.add(r.getString("type"));
            }
          });
          return resolveWaiting(conn, cancelled).map(more -> {
            ready.addAll(more);
            return List.copyOf(ready);
          });
        });
  }

  // ---------------------------------------------------------------- mapping

  private static Future<Task> single(RowSet<Row> rows, long id) {
    return rows.size() == 0
        ? Future.failedFuture(Failure.CONFLICT.exception("task " + id + " is not held by this lease any more"))
        : Future.succeededFuture(task(rows.iterator().next()));
  }

  private static List<Task> tasks(RowSet<Row> rows) {
    List<Task> tasks = new ArrayList<>(rows.size());
    rows.forEach(r -> tasks.add(task(r)));
    return tasks;
  }

  static Task task(Row r) {
    Long[] deps = r.getArrayOfLongs("depends_on");
    return new Task(
        r.getLong("id"),
        r.getString("type"),
        r.getString("title"),
        TaskState.valueOf(r.getString("state")),
        Priority.ofRank(r.getShort("priority")),
        r.getString("data"),
        instant(r, "run_at"),
        r.getInteger("attempts"),
        r.getInteger("max_attempts"),
        r.getInteger("timeout_seconds"),
        deps == null ? List.of() : Arrays.asList(deps),
        TaskSpec.RunIf.valueOf(r.getString("run_if")),
        r.getString("key"),
        r.getDouble("progress"),
        r.getString("progress_message"),
        (JsonObject) r.getValue("progress_details"),
        r.getInteger("result_code"),
        r.getString("result_data"),
        (JsonObject) r.getValue("error"),
        r.getString("agent"),
        r.getString("node"),
        instant(r, "lease_expires_at"),
        r.getString("tag"),
        r.getString("app"),
        r.getString("finalize_url"),
        instant(r, "created_at"),
        instant(r, "started_at"),
        instant(r, "finished_at"));
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime time = r.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
