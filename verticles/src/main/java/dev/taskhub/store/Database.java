package dev.taskhub.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Opens the connection pool for a {@code postgresql://user:password@host:port/database} URL. */
final class Database {
  private Database() {
  }

  /**
   * A pool reconnects by itself: a connection that broke (the server restarted) is dropped from the pool and the
   * next request opens a new one, so a hub needs no restart after a database outage; requests made while the
   * server is away fail at once and are answered 503.
   */
  static Pool pool(Vertx vertx, String url, int maxSize) {
    return pool(vertx, connectOptions(url), maxSize);
  }

  /**
   * A pool whose statements are planned once per connection ({@code plan_cache_mode = force_generic_plan}), for the
   * statements a task passes through on its way: the claim, the completion. PostgreSQL plans a prepared statement for
   * its arguments five times, then keeps a generic plan only if its estimated cost is no higher; the claim's generic
   * estimate (an unknown LIMIT, an array of unknown length) never is, so it was planned again at every execution, and
   * planning took more of the database's time than running (pg_stat_statements: 0.52 ms to plan the claim, 0.23 ms to
   * run it). Only statements whose best plan is the same for every argument belong here: the claim's probe has one
   * index that can serve it (migration 0009), the completion and the settling of dependents go by key.
   *
   * <p>Without JIT: a generic plan is costed for a LIMIT and an array it cannot see, so with a million READY tasks the
   * claim's estimate passed {@code jit_above_cost} and PostgreSQL compiled it with LLVM at every execution, 65 ms
   * against 0.36 ms without ({@code taskhub bench}: 157 tasks/s with that backlog, 552 without).
   */
  static Pool genericPlanPool(Vertx vertx, String url, int maxSize) {
    return pool(vertx, connectOptions(url).addProperty("plan_cache_mode", "force_generic_plan").addProperty("jit", "off"),
        maxSize);
  }

  private static Pool pool(Vertx vertx, PgConnectOptions connect, int maxSize) {
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /**
   * Statements longer than this are prepared once per connection like the others. The client's default, 2048
   * characters, leaves a longer statement unprepared: every execution parses it again, in a transaction of its own.
   * The claim crossed it at 2069 characters and cost 0.45 commits per task more in {@code taskhub bench} (1.06 → 1.39 to
   * 1.56, statements per task unchanged); the longest statement here is under 3000 characters.
   */
  static final int PREPARED_STATEMENT_MAX_CHARS = 16_384;

  static PgConnectOptions connectOptions(String url) {
    try {
      return PgConnectOptions.fromUri(url).setCachePreparedStatements(true)
          .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_MAX_CHARS).setReconnectAttempts(0);
    } catch (RuntimeException e) {
      // The parser's message quotes the URL, password included, and it would end in the node's log.
      throw new IllegalArgumentException("db.url " + redacted(url) + " is not a postgresql://user:password@host:port/database URL");
    }
  }

  /** The URL without its password, for messages and logs. */
  static String redacted(String url) {
    return url == null ? null : url.replaceAll("(?<=://)([^:/@]*):[^@/]*@", "$1:***@").replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
