package dev.taskhub.store;

import dev.taskhub.api.Priority;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.store.TaskRows.COLUMNS;
import static dev.taskhub.store.TaskRows.LIST_COLUMNS;
import static dev.taskhub.store.TaskRows.notFound;
import static dev.taskhub.store.TaskRows.task;

/** Reads that change nothing: one task, a page of tasks, counts, a task's log. */
public final class ReadTasks {
  private final Pool pool;

  ReadTasks(Pool pool) {
    this.pool = pool;
  }

  public Future<Task> get(long id) {
    return Sql.prepared(pool, "SELECT " + COLUMNS + " FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(task(rows.iterator().next())));
  }

  /** Newest first; {@code after} is the last id of the previous page. */
  public Future<Page> list(TaskState state, String type, String tag, Long after, int limit) {
    return list(new Filter(state, type, tag, null, null), after, limit);
  }

  /** What a list may be narrowed to; a null field does not narrow it. */
  public record Filter(TaskState state, String type, String tag, String app, String schedule) {
  }

  /**
   * Newest first; {@code after} is the last id of the previous page. Fetches one more row to know whether a next page
   * exists. Each task's result data and error are cut to 4 KiB, and its data left out above that ({@link Listed}).
   */
  public Future<Page> list(Filter filter, Long after, int limit) {
    return Sql.prepared(pool, "SELECT " + LIST_COLUMNS + " FROM taskhub.task "
            + "WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR type = $2) "
            + "AND ($3::text IS NULL OR tag = $3) AND ($4::bigint IS NULL OR id < $4) "
            + "AND ($6::text IS NULL OR app = $6) AND ($7::text IS NULL OR schedule = $7) "
            + "ORDER BY id DESC LIMIT $5")
        .execute(Tuple.tuple()
            .addString(filter.state() == null ? null : filter.state().name())   // $1
            .addString(filter.type())                                           // $2
            .addString(filter.tag())                                            // $3
            .addLong(after)                                                     // $4 the previous page's last id
            .addInteger(limit + 1)                                              // $5 one more: is there a next page?
            .addString(filter.app())                                            // $6
            .addString(filter.schedule()))                                      // $7
        .map(rows -> {
          List<Listed> tasks = new ArrayList<>();
          rows.forEach(r -> tasks.add(TaskRows.listed(r)));
          Long next = null;
          if (tasks.size() > limit) {
            tasks.remove(limit);
            next = tasks.get(limit - 1).task().id();
          }
          return new Page(tasks, next);
        });
  }

  /** A page of a list; {@code next} is the cursor of the following page, null on the last. */
  public record Page(List<Listed> listed, Long next) {
    public List<Task> tasks() {
      return listed.stream().map(Listed::task).toList();
    }

    /** {@code {"tasks": [...], "next": …}}, as {@code GET /api/tasks} answers. */
    public JsonObject toJson() {
      return new JsonObject().put("tasks", new JsonArray(listed.stream().map(Listed::toJson).toList())).put("next", next);
    }
  }

  /** A task as a list shows it: its result data and error possibly cut to 4 KiB, and whether they were. */
  public record Listed(Task task, boolean resultDataTruncated, boolean errorTruncated) {
    public JsonObject toJson() {
      return task.toJson().put("resultDataTruncated", resultDataTruncated).put("errorTruncated", errorTruncated);
    }
  }

  public Future<JsonObject> stats() {
    return Sql.simple(pool, "SELECT state, priority, type, count(*) AS n FROM taskhub.task GROUP BY GROUPING SETS ((state), (priority, state), (type, state))")
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

  /**
   * Every (type, priority, state) and its number of tasks, as rows {@code [type, priority rank, state, n]}: the whole
   * table, so one hub runs it now and then ({@code metrics.reconcileSeconds}) to correct the in-memory counts that
   * answer /api/stats and /metrics (see hub.TaskCounts); nothing asks it per request.
   */
  public Future<JsonArray> counts() {
    return Sql.simple(pool, "SELECT type, priority, state, count(*) AS n FROM taskhub.task GROUP BY type, priority, state")
        .execute()
        .map(rows -> {
          JsonArray counts = new JsonArray();
          for (Row r : rows) {
            counts.add(new JsonArray().add(r.getString("type")).add(r.getShort("priority").intValue())
                .add(r.getString("state")).add(r.getLong("n")));
          }
          return counts;
        });
  }

  /** The task's stored log (its tail, when capped) and its state, so a follower knows when to stop. */
  public Future<TaskLog> log(long id) {
    return Sql.prepared(pool, "SELECT log, state FROM taskhub.task WHERE id = $1").execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(notFound(id))
            : Future.succeededFuture(new TaskLog(rows.iterator().next().getString("log"),
                TaskState.valueOf(rows.iterator().next().getString("state")))));
  }

  public record TaskLog(String log, TaskState state) {
  }
}
