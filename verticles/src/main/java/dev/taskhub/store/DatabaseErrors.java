package dev.taskhub.store;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** What a database failure means for a caller, read from PostgreSQL's SQLSTATEs and the client's exceptions. */
public final class DatabaseErrors {

  private DatabaseErrors() {
  }

  /**
   * Whether the database is away for now (callers should try again shortly) rather than refusing the statement.
   * Anything that is not a failure to reach the server is a bug of ours, and must not pass for an outage.
   */
  public static boolean isUnavailable(Throwable e) {
    if (e instanceof PgException pg) {
      // Class 08 (connection exception) and 57P (the server is shutting down or starting up): the database is away.
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return state.startsWith("08") || state.startsWith("57P");
    }
    // Connection refused (an IOException), closed (ClosedConnectionException, a VertxException) or timed out.
    // PgException is a VertxException too: it is answered above, by its SQLSTATE.
    return e instanceof IOException || e instanceof VertxException || e instanceof TimeoutException;
  }

  /** 23505: a unique index refused the row (for tasks: another live task holds the key). */
  static boolean isUniqueViolation(Throwable e) {
    return e instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
