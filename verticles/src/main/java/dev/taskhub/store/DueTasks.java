package dev.taskhub.store;

import dev.taskhub.api.Priority;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Finds the READY tasks that time made claimable, so idle agents can be told: nothing else would wake them. */
public final class DueTasks {
  /**
   * The READY types, by a loose scan of task_claim: one index probe per type for the next type up, so a backlog of a
   * million tasks costs no more than one of ten. The queries below then probe each type for each priority, which makes
   * run_at the next column of the index: a probe goes straight to the tasks due in a window of time.
   */
  private static final String READY_TYPES = "WITH RECURSIVE types AS ("
      + " (SELECT type FROM taskhub.task WHERE state = 'READY' ORDER BY type LIMIT 1)"
      + " UNION ALL"
      + " SELECT (SELECT t.type FROM taskhub.task t WHERE t.state = 'READY' AND t.type > types.type ORDER BY t.type LIMIT 1)"
      + " FROM types WHERE types.type IS NOT NULL) ";

  private static final String EVERY_PRIORITY = Arrays.stream(Priority.values()).map(p -> String.valueOf(p.rank))
      .collect(Collectors.joining(",", "'{", "}'::smallint[]"));

  /** A LATERAL probe with LIMIT 1 rather than EXISTS, which the planner may turn into a join over every READY row. */
  static final String DUE_SINCE = READY_TYPES
      + "SELECT now() AS until, ARRAY(SELECT types.type FROM types CROSS JOIN LATERAL (SELECT FROM taskhub.task t"
      + " WHERE t.state = 'READY' AND t.type = types.type AND t.priority = ANY(" + EVERY_PRIORITY + ")"
      + " AND t.run_at > $1 AND t.run_at <= now() LIMIT 1) due WHERE types.type IS NOT NULL LIMIT 1000) AS types";

  static final String WAITING = READY_TYPES
      + "SELECT ARRAY(SELECT types.type FROM types CROSS JOIN LATERAL (SELECT FROM taskhub.task t"
      + " WHERE t.state = 'READY' AND t.type = types.type AND t.priority = ANY(" + EVERY_PRIORITY + ")"
      + " AND t.run_at <= now() - make_interval(secs => $1) LIMIT 1) waited WHERE types.type IS NOT NULL LIMIT 1000) AS types";

  private final Pool pool;

  DueTasks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Types with READY tasks that became due in (since, now]: delayed tasks and retries whose backoff ended.
   * {@code now} is the database's clock, so the next call starts exactly where this one stopped.
   */
  public Future<Due> typesDueSince(Instant since) {
    return Sql.prepared(pool, DUE_SINCE)
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Due(row.getOffsetDateTime("until").toInstant(), List.of(row.getArrayOfStrings("types")));
        });
  }

  /**
   * Types with READY tasks that have been claimable for longer than {@code age}: normally none while an agent that
   * runs the type is idle, since every change that makes a task claimable is announced. This is the net under a lost
   * announcement (a publish the event bus dropped while a connection broke, an agent that was away).
   */
  public Future<List<String>> typesWaitingLongerThan(Duration age) {
    return Sql.prepared(pool, WAITING)
        .execute(Tuple.of((double) age.toMillis() / 1000))
        .map(rows -> List.of(rows.iterator().next().getArrayOfStrings("types")));
  }

  public record Due(Instant until, List<String> types) {
  }
}
