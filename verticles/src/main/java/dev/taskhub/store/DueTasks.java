package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

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

  public record Due(Instant until, List<String> types) {
  }
}
