package dev.taskhub.store;

import dev.taskhub.api.Failure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the numbered files {@code db/migration/0001.sql, 0002.sql, …} in order, each recorded in
 * {@code taskhub.migration}. A transaction-scoped advisory lock lets several hubs start at once; a database that
 * has a migration this code does not know is refused, since this hub would misread it.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x7461736b687562L; // "taskhub"

  private Migrations() {
  }

  /** Brings the schema up to date; the future holds the resulting version. */
  static Future<Integer> apply(Vertx vertx, Pool pool) {
    return vertx.executeBlocking(Migrations::load)
        .compose(scripts -> pool.withTransaction(conn -> applyLocked(conn, scripts)));
  }

  static int latestVersion() {
    return load().size();
  }

  private static Future<Integer> applyLocked(SqlConnection conn, List<String> scripts) {
    return Sql.simple(conn, "SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
        .compose(x -> Sql.simple(conn, "CREATE SCHEMA IF NOT EXISTS taskhub").execute())
        .compose(x -> Sql.simple(conn, "CREATE TABLE IF NOT EXISTS taskhub.migration ("
            + "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(x -> Sql.simple(conn, "SELECT coalesce(max(version), 0) AS v FROM taskhub.migration").execute())
        .compose(rows -> {
          int current = rows.iterator().next().getInteger("v");
          if (current > scripts.size()) {
            return Future.failedFuture(Failure.INTERNAL.exception("the database schema is at version " + current
                + " but this Taskhub knows only up to " + scripts.size() + ": upgrade Taskhub before starting this hub"));
          }
          Future<Void> chain = Future.succeededFuture();
          for (int v = current + 1; v <= scripts.size(); v++) {
            int version = v;
            String sql = scripts.get(v - 1);
            chain = chain
                .compose(x -> Sql.simple(conn, sql).execute())
                .compose(x -> Sql.simple(conn, "INSERT INTO taskhub.migration (version) VALUES (" + version + ")").execute())
                .map(x -> {
                  log.info("applied database migration {}", version);
                  return null;
                });
          }
          return chain.map(x -> scripts.size());
        });
  }

  private static List<String> load() {
    List<String> scripts = new ArrayList<>();
    ClassLoader loader = Migrations.class.getClassLoader();
    while (true) {
      String name = String.format("db/migration/%04d.sql", scripts.size() + 1);
      try (InputStream in = loader.getResourceAsStream(name)) {
        if (in == null) {
          return scripts;
        }
        scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + name, e);
      }
    }
  }
}
