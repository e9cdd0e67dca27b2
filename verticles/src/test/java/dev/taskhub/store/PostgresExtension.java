package dev.taskhub.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test JVM and a fresh database per call, for tests of the store and the hub. */
public final class PostgresExtension {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private PostgresExtension() {
  }

  public static synchronized String freshDatabase() throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
    }
    String name = "store_test_" + COUNTER.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "postgresql://postgres@localhost:" + postgres.getPort() + "/" + name;
  }
}
