package dev.taskhub.store;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Opens the connection pool for a {@code postgresql://user:password@host:port/database} URL. */
public final class Database {
  private Database() {
  }

  public static Pool pool(Vertx vertx, String url, int maxSize) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url)
        .setCachePreparedStatements(true)
        .setReconnectAttempts(0);
    PoolOptions pool = new PoolOptions().setMaxSize(maxSize).setMaxWaitQueueSize(10_000)
        .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }
}
