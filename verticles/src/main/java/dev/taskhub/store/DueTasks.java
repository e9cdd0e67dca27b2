package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Finds the READY tasks that time made claimable, so idle agents can be told: nothing else would wake them. */
public final class DueTasks {
  private final Pool pool;

  DueTasks(Pool pool) {
    this.pool = pool;
  }

  /**
   * Types with READY tasks that became due in (since, now]: delayed tasks and retries whose backoff ended.
   * {@code now} is the database's clock, so the next call starts exactly where this one stopped.
   */
  public Future<Due> typesDueSince(Instant since) {
    return Sql.prepared(pool, "SELECT now() AS until, ARRAY(SELECT DISTINCT type FROM taskhub.task "
            + "WHERE state = 'READY' AND run_at > $1 AND run_at <= now() LIMIT 1000) AS types")
        .execute(Tuple.of(since.atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Due(row.getOffsetDateTime("until").toInstant(), List.of(row.getArrayOfStrings("types")));
        });
  }

  /**
   * Types with READY tasks that have been claimable for longer than {@code age}: normally none while an agent that
   * runs the type is idle, since every change that makes a task claimable is announced. This is the net under a lost
   * announcement (a publish the event bus dropped while a connection broke, an agent that was away): a loose scan of
   * the claim index, one probe per READY type, so a backlog of a million tasks costs no more than one of ten.
   */
  public Future<List<String>> typesWaitingLongerThan(Duration age) {
    return Sql.prepared(pool, "WITH RECURSIVE types AS ("
            + " (SELECT type FROM taskhub.task WHERE state = 'READY' ORDER BY type LIMIT 1)"
            + " UNION ALL"
            + " SELECT (SELECT t.type FROM taskhub.task t WHERE t.state = 'READY' AND t.type > types.type ORDER BY t.type LIMIT 1)"
            + " FROM types WHERE types.type IS NOT NULL)"
            + " SELECT ARRAY(SELECT type FROM types WHERE type IS NOT NULL AND EXISTS (SELECT 1 FROM taskhub.task t"
            + " WHERE t.state = 'READY' AND t.type = types.type AND t.run_at <= now() - make_interval(secs => $1))"
            + " LIMIT 1000) AS types")
        .execute(Tuple.of((double) age.toMillis() / 1000))
        .map(rows -> List.of(rows.iterator().next().getArrayOfStrings("types")));
  }

  public record Due(Instant until, List<String> types) {
  }
}
