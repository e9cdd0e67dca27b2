package dev.taskhub.store;

import dev.taskhub.api.Schedule;
import dev.taskhub.api.ScheduleSpec;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;

import static dev.taskhub.store.ScheduleRows.COLUMNS;
import static dev.taskhub.store.ScheduleRows.notFound;
import static dev.taskhub.store.ScheduleRows.schedule;
import static dev.taskhub.store.ScheduleRows.utc;

/**
 * A user's changes to schedules: create or replace, pause, resume, delete. Each is one statement on the schedule's row,
 * which the firing pass locks while it makes a tick's task, so a change never lands between a task and its advance.
 */
public final class ChangeSchedules {
  private final Pool pool;

  ChangeSchedules(Pool pool) {
    this.pool = pool;
  }

  /** A schedule as stored, and whether this call created it (false: it replaced one). */
  public record Put(Schedule schedule, boolean created) {
  }

  /**
   * Creates or replaces a schedule. Its next tick is the first after {@code now} (none while paused): ticks missed
   * under an older expression are not made up. When it last ran stays.
   */
  public Future<Put> put(ScheduleSpec spec, Instant now) {
    Instant next = spec.paused() ? null : spec.cron().next(now);
    return Sql.prepared(pool, "INSERT INTO taskhub.schedule AS s (name, cron, timezone, task, paused, next_run_at) "
            + "VALUES ($1, $2, $3, $4::text::json, $5, $6) "
            + "ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone, task = EXCLUDED.task, "
            + "  paused = EXCLUDED.paused, next_run_at = EXCLUDED.next_run_at, updated_at = now() "
            + "RETURNING (s.xmax = 0) AS created, " + COLUMNS)   // xmax is 0 on a row this statement inserted
        .execute(Tuple.tuple()
            .addString(spec.name())                          // $1
            .addString(spec.expression())                    // $2
            .addString(spec.timezone())                      // $3
            .addString(spec.task().encode())                 // $4 the task spec, as given
            .addBoolean(spec.paused())                       // $5
            .addOffsetDateTime(utc(next)))                   // $6 its next tick
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Put(schedule(row), row.getBoolean("created"));
        });
  }

  /** Pauses a schedule: it makes no task until resumed. Pausing a paused schedule changes nothing. */
  public Future<Schedule> pause(String name) {
    return Sql.prepared(pool, "UPDATE taskhub.schedule SET paused = true, next_run_at = NULL, "
            + "updated_at = CASE WHEN paused THEN updated_at ELSE now() END WHERE name = $1 RETURNING " + COLUMNS)
        .execute(Tuple.of(name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(name))
            : Future.succeededFuture(schedule(rows.iterator().next())));
  }

  /**
   * Resumes a paused schedule from its first tick after {@code now}: the ticks it missed while paused are not made
   * up. Resuming a schedule that runs changes nothing.
   */
  public Future<Schedule> resume(String name, Instant now) {
    return pool.withTransaction(conn -> Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.schedule WHERE name = $1 FOR UPDATE")
        .execute(Tuple.of(name))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(notFound(name));
          }
          Schedule schedule = schedule(rows.iterator().next());
          if (!schedule.paused()) {
            return Future.succeededFuture(schedule);
          }
          return Sql.prepared(conn, "UPDATE taskhub.schedule SET paused = false, next_run_at = $2, updated_at = now() "
                  + "WHERE name = $1 RETURNING " + COLUMNS)
              .execute(Tuple.of(name, utc(schedule.parsedCron().next(now))))
              .map(updated -> schedule(updated.iterator().next()));
        }));
  }

  /** Deletes a schedule; the tasks it made stay. */
  public Future<Void> delete(String name) {
    return Sql.prepared(pool, "DELETE FROM taskhub.schedule WHERE name = $1").execute(Tuple.of(name))
        .compose(rows -> rows.rowCount() == 0 ? Future.failedFuture(notFound(name)) : Future.succeededFuture());
  }
}
