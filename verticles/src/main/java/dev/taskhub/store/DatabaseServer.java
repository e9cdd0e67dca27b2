package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a PostgreSQL server says of itself and of one database, for {@code taskhub bench}: whether it is durable, how
 * many commits and row writes a run cost, when tasks ran; and throwaway databases of the bench's own. One connection;
 * names of databases are the bench's, never a user's (they are not parameters a statement can take).
 */
public final class DatabaseServer implements AutoCloseable {
  private final Pool pool;

  private DatabaseServer(Pool pool) {
    this.pool = pool;
  }

  /** A connection to the database of {@code url} (made on first use). */
  public static DatabaseServer connect(Vertx vertx, String url) {
    return new DatabaseServer(Database.pool(vertx, url, 1));
  }

  /** The server's durability settings and version, as SHOW reports them for this database (a database setting shows). */
  public record Settings(String fsync, String synchronousCommit, String version, int versionNumber) {
  }

  public Future<Settings> settings() {
    return Sql.simple(pool, "SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, "
            + "current_setting('server_version') AS version, current_setting('server_version_num')::int AS num")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Settings(row.getString("fsync"), row.getString("sc"), row.getString("version"), row.getInteger("num"));
        });
  }

  /** Commits of this database, and rows written into Taskhub's tables, since the server's statistics began. */
  public record Activity(long commits, long rowWrites) {
  }

  /**
   * Reads the counters in one statement. On PostgreSQL 15 and later, this backend's own statistics are flushed first
   * (superusers only by default; without it, only the caller's own earlier readings may come late).
   */
  public Future<Activity> activity(boolean flushFirst) {
    Future<?> flushed = flushFirst
        ? Sql.simple(pool, "SELECT pg_stat_force_next_flush()").execute().recover(notAllowed -> Future.succeededFuture())
        : Future.succeededFuture();
    return flushed.compose(x -> Sql.simple(pool,
            "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits, "
                + "(SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables "
                + "WHERE schemaname = 'taskhub')::bigint AS row_writes").execute())
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Activity(row.getLong("commits"), row.getLong("row_writes"));
        });
  }

  /** When one run of a task began and ended. */
  public record Run(Instant started, Instant finished) {
  }

  /** The runs of the DONE tasks of one type. */
  public Future<List<Run>> runsOf(String type) {
    return Sql.prepared(pool, "SELECT started_at, finished_at FROM taskhub.task WHERE type = $1 AND state = 'DONE'")
        .execute(Tuple.of(type))
        .map(rows -> {
          List<Run> runs = new ArrayList<>(rows.size());
          rows.forEach(r -> runs.add(new Run(r.getOffsetDateTime("started_at").toInstant(),
              r.getOffsetDateTime("finished_at").toInstant())));
          return runs;
        });
  }

  /** Creates a database; {@code name} must be a plain identifier of the caller's making. */
  public Future<Void> createDatabase(String name) {
    return Sql.simple(pool, "CREATE DATABASE " + identifier(name)).execute().mapEmpty();
  }

  /** Drops a database, ending its sessions where the server can (PostgreSQL 13 and later). */
  public Future<Void> dropDatabase(String name) {
    return settings().compose(s -> Sql.simple(pool, "DROP DATABASE IF EXISTS " + identifier(name)
        + (s.versionNumber() >= 130000 ? " WITH (FORCE)" : "")).execute()).mapEmpty();
  }

  @Override
  public void close() {
    pool.close().await();
  }

  private static String identifier(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a plain database name: " + name);
    }
    return name;
  }
}
