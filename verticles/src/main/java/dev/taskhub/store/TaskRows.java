package dev.taskhub.store;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Priority;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** How a task row is read: the column lists every statement returns, and the one mapping from a row to a {@link Task}. */
final class TaskRows {

  /** The columns of {@link Task}, in the order {@link #task(Row)} reads them; the log is read only on request. */
  static final String COLUMNS = "id, type, title, state, priority, data::text AS data, run_at, attempts, "
      + "max_attempts, timeout_seconds, depends_on, run_if, key, progress, progress_message, progress_details, "
      + "result_code, result_data, error, agent, node, lease_expires_at, tag, app, finalize_url, created_at, "
      + "started_at, finished_at, schedule, scheduled_for";
  /** {@link #COLUMNS} qualified with a table alias, for statements that join the task table with others. */
  static String columnsOf(String alias) {
    return java.util.Arrays.stream(COLUMNS.split(", "))
        .map(c -> c.startsWith("data::text") ? alias + ".data::text AS data" : alias + "." + c + " AS " + c)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Lists leave out large data: a page of tasks must stay small whatever the callers stored. */
  static final String LIST_COLUMNS = COLUMNS.replace("data::text AS data",
      "CASE WHEN octet_length(data::text) <= 4096 THEN data::text ELSE 'null' END AS data");
  /**
   * The states that have not ended, as an SQL list, taken from {@link TaskState}: {@code ('WAITING','SUSPENDED','READY',
   * 'RUNNING')}. The key deduplication's ON CONFLICT names the partial index {@code task_live_key} (0001.sql) by this
   * predicate, so the two must stay the same list.
   */
  static final String LIVE = Arrays.stream(TaskState.where(s -> !s.isFinal()))
      .map(name -> "'" + name + "'").collect(Collectors.joining(",", "(", ")"));

  private TaskRows() {
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
        instant(r, "finished_at"),
        r.getString("schedule"),
        instant(r, "scheduled_for"));
  }

  static List<Task> tasks(RowSet<Row> rows) {
    List<Task> tasks = new ArrayList<>(rows.size());
    rows.forEach(r -> tasks.add(task(r)));
    return tasks;
  }

  /** The one task a statement guarded by a lease token returned; zero rows: the lease is someone else's now. */
  static Future<Task> leased(RowSet<Row> rows, long id) {
    return rows.size() == 0
        ? Future.failedFuture(Failure.CONFLICT.exception("task " + id + " is not held by this lease any more"))
        : Future.succeededFuture(task(rows.iterator().next()));
  }

  static TaskhubException notFound(long id) {
    return Failure.NOT_FOUND.exception("no task " + id);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime time = r.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
