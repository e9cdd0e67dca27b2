package dev.taskhub.store;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseErrorsTest extends StoreTest {

  @Test
  void aServerThatCannotBeReachedIsAnOutage() {
    // Nothing listens on port 1: the connection is refused.
    Store away = Store.open(vertx, "postgresql://postgres@127.0.0.1:1/none", 1, 1000);

    assertThat(DatabaseErrors.isUnavailable(failureOf(away.readTasks().get(1)))).isTrue();
  }

  @Test
  void aSessionEndedByTheServerIsAnOutageButAFailedStatementIsNot() {
    Pool pool = Database.pool(vertx, url, 1);

    Throwable divided = failureOf(pool.query("SELECT 1 / 0").execute());
    Throwable terminated = failureOf(pool.query("SELECT pg_terminate_backend(pg_backend_pid())").execute());

    assertThat(DatabaseErrors.isUnavailable(terminated)).as(String.valueOf(terminated)).isTrue();
    assertThat(divided).isInstanceOf(PgException.class);
    assertThat(DatabaseErrors.isUnavailable(divided)).isFalse();
  }

  private static Throwable failureOf(Future<?> future) {
    return future.map(x -> (Throwable) null).otherwise(e -> e).await();
  }
}
