package dev.taskhub.launcher.bench;

import dev.taskhub.store.DatabaseServer;
import io.vertx.core.Vertx;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;

/**
 * A fresh database of the bench's own on the server it is given ({@code taskhub_bench_<random>}), dropped at the end,
 * also when the bench is interrupted (a shutdown hook): a run never reads or leaves anything in another database.
 * Its {@link DatabaseServer} connection is the bench's way to the server's statistics and the tasks' times.
 */
final class BenchDatabase implements AutoCloseable {
  private final Vertx vertx;
  private final String serverUrl;
  private final String name;
  private final DatabaseServer reader;
  private final Thread dropOnExit;

  private BenchDatabase(Vertx vertx, String serverUrl, String name) {
    this.vertx = vertx;
    this.serverUrl = serverUrl;
    this.name = name;
    this.reader = DatabaseServer.connect(vertx, url());
    this.dropOnExit = new Thread(this::drop, "bench-drop-" + name);
  }

  /** Creates {@code taskhub_bench_<random><suffix>} on the server of {@code serverUrl} (connecting to its database). */
  static BenchDatabase create(Vertx vertx, String serverUrl, String suffix) {
    String name = "taskhub_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + suffix;
    try (DatabaseServer admin = DatabaseServer.connect(vertx, serverUrl)) {
      admin.createDatabase(name).await();
    }
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

  /** The bench's one connection to its database. */
  DatabaseServer reader() {
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
    reader.close();
    try (DatabaseServer admin = DatabaseServer.connect(vertx, serverUrl)) {
      admin.dropDatabase(name).await();
    }
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
}
