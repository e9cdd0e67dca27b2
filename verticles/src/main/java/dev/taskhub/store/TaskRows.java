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

  /** What a list carries of a task's data, result data and error (the single-task read carries all). */
  static final int LIST_MAX_BYTES = 4096;
  /**
   * Lists leave out large data and cut large results and errors: a page of 1000 tasks must stay small whatever the
   * executors wrote (a result may be 1 MiB). The database sends at most 4096 characters of each; {@link #listed} cuts
   * that to 4096 bytes and says what it cut.
   */
  static final String LIST_COLUMNS = replaceOnce(replaceOnce(replaceOnce(COLUMNS,
      "data::text AS data", "CASE WHEN octet_length(data::text) <= 4096 THEN data::text ELSE 'null' END AS data"),
      "result_data,", "left(result_data, 4096) AS result_data, octet_length(result_data) > 4096 AS result_data_cut,"),
      "error,", "CASE WHEN octet_length(error::text) <= 4096 THEN error ELSE jsonb_build_object("
          + "'type', left(error->>'type', 200), 'message', left(error->>'message', 4096)) END AS error, "
          + "octet_length(error::text) > 4096 AS error_cut,");
  /**
   * The states that have not ended, as an SQL list, taken from {@link TaskState}: {@code ('WAITING','SUSPENDED','READY',
   * 'RUNNING')}. The key deduplication's ON CONFLICT names the partial index {@code task_live_key} (0001.sql) by this
   * predicate, so the two must stay the same list.
   */
  static final String LIVE = Arrays.stream(TaskState.where(s -> !s.isFinal()))
      .map(name -> "'" + name + "'").collect(Collectors.joining(",", "(", ")"));

  private TaskRows() {
  }

  /** {@code columns} with its one {@code column} replaced: fails at class load if the list no longer has it. */
  private static String replaceOnce(String columns, String column, String replacement) {
    int at = columns.indexOf(column);
    if (at < 0 || columns.indexOf(column, at + 1) >= 0) {
      throw new IllegalStateException("the task columns must name '" + column + "' once: " + columns);
    }
    return columns.replace(column, replacement);
  }

  static Task task(Row r) {
    return task(r, r.getString("result_data"), (JsonObject) r.getValue("error"));
  }

  /** A task of a list ({@link #LIST_COLUMNS}), its result data and error cut to {@link #LIST_MAX_BYTES}. */
  static ReadTasks.Listed listed(Row r) {
    boolean resultCut = Boolean.TRUE.equals(r.getBoolean("result_data_cut"));
    boolean errorCut = Boolean.TRUE.equals(r.getBoolean("error_cut"));
    String resultData = r.getString("result_data");
    JsonObject error = (JsonObject) r.getValue("error");
    if (resultCut) {
      resultData = prefix(resultData, LIST_MAX_BYTES);
    }
    if (errorCut) {
      String type = prefix(error.getString("type"), 200);
      error = new JsonObject().put("type", type)
          .put("message", prefix(error.getString("message"), LIST_MAX_BYTES - 256 - (type == null ? 0 : type.length())));
    }
    return new ReadTasks.Listed(task(r, resultData, error), resultCut, errorCut);
  }

  /** The longest start of {@code s} whose UTF-8 takes at most {@code maxBytes}; never half a character. */
  static String prefix(String s, int maxBytes) {
    if (s == null || s.length() * 3 <= maxBytes) {
      return s;
    }
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  private static Task task(Row r, String resultData, JsonObject error) {
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
        resultData,
        error,
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
