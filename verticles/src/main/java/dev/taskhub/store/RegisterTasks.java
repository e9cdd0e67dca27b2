package dev.taskhub.store;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.LIVE;
import static dev.taskhub.store.TaskRows.task;

/** Where a task is registered: one batched INSERT, deduplicated by key, its dependencies checked and settled. */
public final class RegisterTasks {
  private final Pool pool;

  RegisterTasks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts all specs in one transaction (all or nothing). A spec whose key names a live task yields that task
   * instead of a new one. Tasks with predecessors start WAITING and are resolved at once, since their
   * predecessors may have ended already.
   */
  public Future<List<Task>> register(List<TaskSpec> specs) {
    return pool.withTransaction(conn -> checkDependencies(conn, specs)
        .compose(x -> Sql.prepared(conn, "INSERT INTO taskhub.task (type, title, state, priority, data, run_at, "
                + "max_attempts, timeout_seconds, depends_on, run_if, key, tag, app, finalize_url) "
                + "VALUES ($1, $2, $3, $4, $5::text::json, coalesce($6, now()), $7, $8, $9, $10, $11, $12, $13, $14) "
                + "ON CONFLICT (key) WHERE key IS NOT NULL AND state IN " + LIVE + " DO NOTHING "
                + "RETURNING " + COLUMNS)
            .executeBatch(specs.stream().map(RegisterTasks::insertParams).toList()))
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
          return SettleDependents.settle(conn, waiting).compose(changed -> refresh(conn, tasks));
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
    return Sql.prepared(conn, "SELECT id FROM taskhub.task WHERE id = ANY($1)")
        .execute(Tuple.of(ids.toArray(new Long[0])))
        .compose(rows -> {
          rows.forEach(r -> ids.remove(r.getLong(0)));
          return ids.isEmpty() ? Future.succeededFuture()
              : Future.failedFuture(Failure.BAD_REQUEST.exception("'dependsOn' names unknown tasks: " + ids));
        });
  }

  private static Future<List<Task>> fillDuplicates(SqlClient conn, List<TaskSpec> specs, List<Task> tasks, List<Integer> duplicates) {
    if (duplicates.isEmpty()) {
      return Future.succeededFuture(tasks);
    }
    String[] keys = duplicates.stream().map(i -> specs.get(i).key()).toArray(String[]::new);
    return Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.task WHERE key = ANY($1) AND state IN " + LIVE)
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

  private static Future<List<Task>> refresh(SqlClient conn, List<Task> tasks) {
    Long[] ids = tasks.stream().map(Task::id).toArray(Long[]::new);
    return Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.task WHERE id = ANY($1)").execute(Tuple.of(ids))
        .map(rows -> {
          Map<Long, Task> byId = new LinkedHashMap<>();
          rows.forEach(r -> byId.put(r.getLong("id"), task(r)));
          return tasks.stream().map(t -> byId.get(t.id())).toList();
        });
  }
}
