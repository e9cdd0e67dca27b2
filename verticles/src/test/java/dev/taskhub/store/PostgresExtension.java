package dev.taskhub.store;

import dev.taskhub.testing.TestDatabase;

/** Replaced by {@link TestDatabase}; removed once the store's tests use it directly. */
public final class PostgresExtension {
  private PostgresExtension() {
  }

  public static String freshDatabase() throws Exception {
    return TestDatabase.createDatabase();
  }
}
