package dev.taskhub.store;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Schedule;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** How a schedule row is read: the columns every statement returns, and the one mapping to a {@link Schedule}. */
final class ScheduleRows {
  static final String COLUMNS = "name, cron, timezone, task::text AS task, paused, next_run_at, last_run_at, created_at, updated_at";

  private ScheduleRows() {
  }

  static Schedule schedule(Row r) {
    return new Schedule(r.getString("name"), r.getString("cron"), r.getString("timezone"),
        new JsonObject(r.getString("task")), r.getBoolean("paused"), instant(r, "next_run_at"),
        instant(r, "last_run_at"), instant(r, "created_at"), instant(r, "updated_at"));
  }

  static TaskhubException notFound(String name) {
    return Failure.NOT_FOUND.exception("no schedule '" + name + "'");
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(Row r, String column) {
    OffsetDateTime time = r.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
