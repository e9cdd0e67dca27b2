package dev.taskhub.store;

import dev.taskhub.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
@ExtendWith(TestDatabase.class)
class MigrationsTest {
  Vertx vertx;
  Pool pool;

  @BeforeEach
  void open(TestDatabase.Fresh database) {
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, database.url(), 4);
  }

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void anEmptyDatabaseIsBroughtToTheLatestVersionAndAppliedMigrationsAreRecorded() {
    int version = Migrations.apply(vertx, pool).await();

    assertThat(version).isEqualTo(Migrations.latestVersion()).isPositive();
    long recorded = pool.query("SELECT count(*) FROM taskhub.migration").execute().await().iterator().next().getLong(0);
    assertThat(recorded).isEqualTo(version);
  }

  @Test
  void applyingTwiceChangesNothing() {
    Migrations.apply(vertx, pool).await();
    int again = Migrations.apply(vertx, pool).await();

    assertThat(again).isEqualTo(Migrations.latestVersion());
  }

  @Test
  void severalHubsMigratingAtOnceApplyEachMigrationOnce() {
    var all = io.vertx.core.Future.all(Migrations.apply(vertx, pool), Migrations.apply(vertx, pool), Migrations.apply(vertx, pool));
    all.await();

    long recorded = pool.query("SELECT count(*) FROM taskhub.migration").execute().await().iterator().next().getLong(0);
    assertThat(recorded).isEqualTo(Migrations.latestVersion());
  }

  @Test
  void aDatabaseNewerThanThisHubIsRefused() {
    Migrations.apply(vertx, pool).await();
    pool.query("INSERT INTO taskhub.migration (version) VALUES (999)").execute().await();

    assertThatThrownBy(() -> Migrations.apply(vertx, pool).await())
        .hasMessageContaining("version 999")
        .hasMessageContaining("upgrade Taskhub");
  }
}
