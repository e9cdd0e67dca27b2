package dev.taskhub.store;

import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;

import java.util.concurrent.atomic.LongAdder;

/**
 * The one way the store's classes send a statement, so that what a task costs the database can be counted where it is
 * decided: {@code taskhub bench} divides {@link #statements()} by the tasks it ran. A batch counts once: it is one
 * round trip of the hub's, however many rows it carries.
 */
final class Sql {
  private static final LongAdder STATEMENTS = new LongAdder();

  private Sql() {
  }

  static PreparedQuery<RowSet<Row>> prepared(SqlClient client, String sql) {
    STATEMENTS.increment();
    return client.preparedQuery(sql);
  }

  static Query<RowSet<Row>> simple(SqlClient client, String sql) {
    STATEMENTS.increment();
    return client.query(sql);
  }

  /** Statements sent by this JVM's stores since it started. */
  static long statements() {
    return STATEMENTS.sum();
  }
}
