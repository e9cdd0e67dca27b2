package dev.taskhub.store;

import dev.taskhub.api.Schedule;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.store.ScheduleRows.COLUMNS;
import static dev.taskhub.store.ScheduleRows.notFound;
import static dev.taskhub.store.ScheduleRows.schedule;

/** Reads of schedules: one, all of them, and when the next one is due. */
public final class ReadSchedules {
  /** Schedules are configuration, not a queue: a list this long is already a mistake worth seeing whole. */
  private static final int MAX_LISTED = 10_000;

  private final Pool pool;

  ReadSchedules(Pool pool) {
    this.pool = pool;
  }

  public Future<Schedule> get(String name) {
    return Sql.prepared(pool, "SELECT " + COLUMNS + " FROM taskhub.schedule WHERE name = $1").execute(Tuple.of(name))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(notFound(name))
            : Future.succeededFuture(schedule(rows.iterator().next())));
  }

  /** Every schedule, by name. */
  public Future<List<Schedule>> list() {
    return Sql.prepared(pool, "SELECT " + COLUMNS + " FROM taskhub.schedule ORDER BY name LIMIT $1")
        .execute(Tuple.of(MAX_LISTED))
        .map(rows -> {
          List<Schedule> schedules = new ArrayList<>(rows.size());
          rows.forEach(r -> schedules.add(schedule(r)));
          return schedules;
        });
  }

  /** The earliest tick any schedule that is not paused waits for; null when there is none. */
  public Future<Instant> nextDue() {
    return Sql.simple(pool, "SELECT min(next_run_at) AS due FROM taskhub.schedule WHERE NOT paused").execute()
        .map(rows -> {
          OffsetDateTime due = rows.iterator().next().getOffsetDateTime("due");
          return due == null ? null : due.toInstant();
        });
  }
}
