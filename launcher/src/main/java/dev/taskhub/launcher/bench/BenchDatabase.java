package dev.taskhub.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;

/**
 * A fresh database of the bench's own on the server it is given ({@code taskhub_bench_<random>}), dropped at the end,
 * also when the bench is interrupted (a shutdown hook): a run never reads or leaves anything in another database.
 * Its one-connection reader is the bench's way to the server's statistics and the tasks' times; it talks to
 * PostgreSQL with the Vert.x client directly, since this is a benchmark, not the product.
 */
final class BenchDatabase implements AutoCloseable {
  private final Vertx vertx;
  private final String serverUrl;
  private final String name;
  private final Pool reader;
  private final Thread dropOnExit;

  private BenchDatabase(Vertx vertx, String serverUrl, String name) {
    this.vertx = vertx;
    this.serverUrl = serverUrl;
    this.name = name;
    this.reader = pool(vertx, url());
    this.dropOnExit = new Thread(this::drop, "bench-drop-" + name);
  }

  /** Creates {@code taskhub_bench_<random><suffix>} on the server of {@code serverUrl} (connecting to its database). */
  static BenchDatabase create(Vertx vertx, String serverUrl, String suffix) {
    String name = "taskhub_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + suffix;
    Pool admin = pool(vertx, serverUrl);
    admin.query("CREATE DATABASE " + name).execute().eventually(admin::close).await();
    BenchDatabase database = new BenchDatabase(vertx, serverUrl, name);
    Runtime.getRuntime().addShutdownHook(database.dropOnExit);
    return database;
  }

  String name() {
    return name;
  }

  /** The {@code db.url} of this database, for the nodes. */
  String url() {
    return withDatabase(serverUrl, name);
  }

  Future<RowSet<Row>> query(String sql) {
    return reader.query(sql).execute();
  }

  Pool reader() {
    return reader;
  }

  /** Drops the database; the nodes that used it must be closed (WITH (FORCE) ends what they left behind). */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(dropOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
    drop();
  }

  private synchronized void drop() {
    reader.close().await();
    Pool admin = pool(vertx, serverUrl);
    admin.query("SELECT current_setting('server_version_num')::int AS num").execute()
        .compose(rows -> admin.query("DROP DATABASE IF EXISTS " + name
            + (rows.iterator().next().getInteger("num") >= 130000 ? " WITH (FORCE)" : "")).execute())
        .eventually(admin::close)
        .await();
  }

  /** {@code url} with its database replaced by {@code database}; user, password, host, port and options kept. */
  static String withDatabase(String url, String database) {
    try {
      URI uri = new URI(url);
      return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), uri.getPort(),
          "/" + database, uri.getQuery(), null).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a postgresql:// URL: " + url);
    }
  }

  private static Pool pool(Vertx vertx, String url) {
    PgConnectOptions connect = PgConnectOptions.fromUri(url);
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(connect).using(vertx).build();
  }
}
