package dev.taskhub.store;

import dev.taskhub.api.Priority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * A backlog for {@code taskhub bench}: many READY tasks inserted by the database itself in one statement, behind the
 * hub's back (no events, no announcement), on a connection of its own.
 */
public final class Backlog {

  private Backlog() {
  }

  /** Inserts {@code count} READY tasks of {@code type} (Normal priority, no data), then refreshes the planner's statistics. */
  public static Future<Void> insertReady(Vertx vertx, String url, String type, int count) {
    Pool pool = Database.pool(vertx, url, 1);
    return Sql.prepared(pool, "INSERT INTO taskhub.task (type, state, priority, data) "
            + "SELECT $1::text, 'READY', $2::smallint, '{}' FROM generate_series(1, $3::int)")
        .execute(Tuple.of(
            type,                                              // $1 type
            (short) Priority.Normal.rank,                      // $2 priority
            count))                                            // $3 how many
        // The planner sees the backlog at once, as it would once autovacuum has run.
        .compose(x -> Sql.simple(pool, "ANALYZE taskhub.task").execute())
        .<Void>mapEmpty()
        .eventually(pool::close);
  }
}
