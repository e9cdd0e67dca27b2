package dev.taskhub.store;

import dev.taskhub.api.Cron;
import dev.taskhub.api.Schedule;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.store.ScheduleRows.utc;
import static dev.taskhub.store.TaskRows.COLUMNS;

/**
 * Makes the tasks of schedules whose tick has come. Exactly one task per tick, with any number of hubs doing this at
 * once, is the database's doing, not a leader's: a hub locks the due schedule rows it takes (FOR UPDATE SKIP LOCKED,
 * so hubs never wait on each other), inserts each tick's task and advances the schedule's {@code next_run_at} in ONE
 * transaction. A hub that dies mid-way leaves neither done, and the next hub fires the same tick; a hub that took a row
 * after another committed sees it advanced and passes. Behind that, a unique index on (schedule, scheduled_for) makes a
 * second task for one tick impossible whatever happens. (We chose the row lock over a guarded UPDATE of next_run_at
 * that one hub wins: both are one round trip, but the lock also keeps a user's change to the schedule from landing
 * between a tick's task and its advance.)
 *
 * <p>Missed ticks: a tick later than {@code misfire} (every hub was down, or the schedule's database was away) is
 * missed; ONE task stands for all of a schedule's missed ticks — the latest — and the schedule goes on from its
 * first tick after now. A tick that is merely late (a hub's pause, a hub killed while holding the row) is fired as
 * itself, so no tick is lost to a hub's death.
 */
public final class FireSchedules {
  private final Pool pool;

  FireSchedules(Pool pool) {
    this.pool = pool;
  }

  /** One schedule's tick that was fired: its task (null when its key was held by a live task, or its spec refused). */
  public record Fired(String schedule, Instant tick, Task task, boolean missedTicks, String refusal) {
  }

  /** What one pass did: the ticks fired, the types that became READY, and the next tick any schedule waits for. */
  public record Pass(List<Fired> fired, List<String> readyTypes, Instant nextDue) {
  }

  /**
   * Fires the due ticks of up to {@code limit} schedules at {@code now}, in one transaction. {@code maxDataBytes}
   * holds each task spec to the registration's limits again. A schedule whose next tick is also due already is fired
   * once per pass: call again while {@link Pass#nextDue()} is not after now.
   */
  public Future<Pass> fireDue(Instant now, Duration misfire, int limit, int maxDataBytes) {
    return pool.withTransaction(conn -> Sql.prepared(conn, "SELECT " + ScheduleRows.COLUMNS + " FROM taskhub.schedule "
            + "WHERE NOT paused AND next_run_at <= $1 ORDER BY next_run_at LIMIT $2 FOR UPDATE SKIP LOCKED")
        .execute(Tuple.of(
            utc(now),                                          // $1 now, on the hub's clock
            limit))                                            // $2 schedules per pass
        .compose(rows -> {
          List<Schedule> due = new ArrayList<>();
          rows.forEach(r -> due.add(ScheduleRows.schedule(r)));
          List<Fired> fired = new ArrayList<>();
          List<String> ready = new ArrayList<>();
          Future<Void> chain = Future.succeededFuture();
          for (Schedule schedule : due) {
            chain = chain.compose(x -> fire(conn, schedule, now, misfire, maxDataBytes, ready)).map(f -> {
              fired.add(f);
              return null;
            });
          }
          return chain.compose(x -> Sql.simple(conn, "SELECT min(next_run_at) AS due FROM taskhub.schedule WHERE NOT paused")
              .execute()
              .map(next -> {
                OffsetDateTime at = next.iterator().next().getOffsetDateTime("due");
                return new Pass(fired, ready.stream().distinct().toList(), at == null ? null : at.toInstant());
              }));
        }));
  }

  private static Future<Fired> fire(SqlConnection conn, Schedule schedule, Instant now, Duration misfire, int maxDataBytes,
                                    List<String> ready) {
    Cron cron = schedule.parsedCron();
    Instant due = schedule.nextRunAt();
    boolean missed = Duration.between(due, now).compareTo(misfire) > 0;
    Instant latest = cron.latest(now);
    Instant tick = missed && latest != null ? latest : due;
    Instant next = cron.next(missed ? now : due);
    TaskSpec spec;
    try {
      spec = TaskSpec.fromJson(schedule.task(), maxDataBytes);
    } catch (TaskhubException e) {
      // The spec was valid when stored; a lower limit since may refuse it. The tick passes without a task, and says so.
      return advance(conn, schedule, tick, next).map(x -> new Fired(schedule.name(), tick, null, missed, e.getMessage()));
    }
    return Sql.prepared(conn, "INSERT INTO taskhub.task (type, title, state, priority, data, run_at, max_attempts, "
            + "timeout_seconds, depends_on, run_if, key, tag, app, finalize_url, schedule, scheduled_for) "
            // What the spec leaves out, its type's settings fill in (as RegisterTasks does).
            + "SELECT $1, $2, $3, coalesce($4, s.priority, $17), $5::text::json, coalesce($6, now()), "
            + "  coalesce($7, s.max_attempts, $18), coalesce($8, s.timeout_seconds), $9::bigint[], $10, $11, $12, $13, $14, $15, $16::timestamptz "
            + "FROM (VALUES (1)) AS one LEFT JOIN taskhub.type_setting s ON s.type = $1 "
            // Either unique index: the tick's task exists already, or a live task holds the spec's key (the run
            // before still goes on): no second task.
            + "ON CONFLICT DO NOTHING RETURNING " + COLUMNS)
        .execute(Tuple.tuple()
            .addString(spec.type())                                         // $1 type
            .addString(spec.title())                                        // $2 title
            .addString(spec.dependsOn().isEmpty() ? "READY" : "WAITING")    // $3 state
            .addShort(spec.priority() == null ? null : (short) spec.priority().rank) // $4 priority; null: the type's
            .addString(spec.data())                                         // $5 data
            .addOffsetDateTime(utc(spec.runAt()))                           // $6 run_at (delaySeconds counts from now)
            .addInteger(spec.maxAttempts())                                 // $7 null: the type's
            .addInteger(spec.timeoutSeconds())                              // $8 null: the type's
            .addArrayOfLong(spec.dependsOn().toArray(new Long[0]))          // $9
            .addString(spec.runIf().name())                                 // $10
            .addString(spec.key())                                          // $11
            .addString(spec.tag())                                          // $12
            .addString(spec.app())                                          // $13
            .addString(spec.finalizeUrl())                                  // $14
            .addString(schedule.name())                                     // $15 schedule
            .addOffsetDateTime(utc(tick))                                   // $16 scheduled_for: the tick
            .addShort((short) TaskSpec.DEFAULT_PRIORITY.rank)               // $17 priority where neither spec nor type says
            .addInteger(TaskSpec.DEFAULT_MAX_ATTEMPTS))                     // $18 attempts where neither says
        .compose(rows -> {
          Task task = rows.size() == 0 ? null : TaskRows.task(rows.iterator().next());
          Future<Task> settled = Future.succeededFuture(task);
          if (task != null && task.state() == TaskState.WAITING) {
            settled = SettleDependents.settle(conn, List.of(task.id())).compose(types -> {
              ready.addAll(types);
              return Sql.prepared(conn, "SELECT " + COLUMNS + " FROM taskhub.task WHERE id = $1").execute(Tuple.of(task.id()))
                  .map(again -> TaskRows.task(again.iterator().next()));
            });
          } else if (task != null) {
            ready.add(task.type());
          }
          return settled;
        })
        .compose(task -> advance(conn, schedule, tick, next).map(x -> new Fired(schedule.name(), tick, task, missed, null)));
  }

  /** Moves the schedule on to {@code next}, guarded by the tick it was due at (the row is locked: belt and braces). */
  private static Future<Void> advance(SqlConnection conn, Schedule schedule, Instant tick, Instant next) {
    return Sql.prepared(conn, "UPDATE taskhub.schedule SET next_run_at = $3, last_run_at = $4 "
            + "WHERE name = $1 AND next_run_at = $2")
        .execute(Tuple.of(schedule.name(), utc(schedule.nextRunAt()), utc(next), utc(tick)))
        .mapEmpty();
  }
}
