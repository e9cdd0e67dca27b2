package dev.taskhub.launcher.bench;

import dev.taskhub.launcher.EmbeddedDatabase;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's own database and the durability check, against a real PostgreSQL (the embedded one). */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchDatabaseTest {
  Vertx vertx;
  EmbeddedDatabase server;

  @BeforeAll
  void startServer(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    server = EmbeddedDatabase.start(dir);
  }

  @AfterAll
  void stopServer() throws Exception {
    vertx.close().await();
    server.close();
  }

  @Test
  void theUrlOfTheBenchDatabaseKeepsEverythingButTheDatabase() {
    assertThat(BenchDatabase.withDatabase("postgresql://postgres@127.0.0.1:55432/postgres", "taskhub_bench_1"))
        .isEqualTo("postgresql://postgres@127.0.0.1:55432/taskhub_bench_1");
    assertThat(BenchDatabase.withDatabase("postgresql://u:secret@db.example:5432/app?sslmode=require", "b"))
        .isEqualTo("postgresql://u:secret@db.example:5432/b?sslmode=require");
    assertThat(BenchDatabase.withDatabase("postgres://localhost", "b")).isEqualTo("postgres://localhost/b");
  }

  @Test
  void theBenchRunsInAFreshDatabaseThatIsGoneAfterwards() {
    String name;
    try (BenchDatabase database = BenchDatabase.create(vertx, server.url(), "_t")) {
      name = database.name();
      assertThat(name).matches("taskhub_bench_[0-9a-f]{10}_t");
      assertThat(count("SELECT count(*) AS n FROM pg_database WHERE datname = '" + name + "'")).isOne();
    }
    assertThat(count("SELECT count(*) AS n FROM pg_database WHERE datname = '" + name + "'")).isZero();
    assertThat(count("SELECT count(*) AS n FROM pg_database WHERE datname = 'postgres'")).isOne();
  }

  @Test
  void theDurabilityCheckReadsTheSettingsOfTheBenchDatabase() {
    try (BenchDatabase database = BenchDatabase.create(vertx, server.url(), "")) {
      // A database-level setting is what the node's sessions get: the check must see it, not the server's default.
      admin("ALTER DATABASE " + database.name() + " SET synchronous_commit = off");

      Durability durability = Durability.read(database.reader()).await();

      assertThat(durability.synchronousCommit()).isEqualTo("off");
      assertThat(durability.fsync()).isIn("on", "off");
      assertThat(durability.versionNumber()).isGreaterThanOrEqualTo(120000);
      assertThat(durability.durable()).isFalse();
      assertThat(durability.describe()).contains("synchronous_commit off").contains("NOT DURABLE");
    }
  }

  @Test
  void theEmbeddedServerIsDurableSoTheBenchSaysSo() {
    try (BenchDatabase database = BenchDatabase.create(vertx, server.url(), "")) {
      Durability durability = Durability.read(database.reader()).await();

      assertThat(durability.fsync()).isEqualTo("on");
      assertThat(durability.synchronousCommit()).isEqualTo("on");
      assertThat(durability.describe()).isEqualTo("fsync on, synchronous_commit on: durable");
    }
  }

  @Test
  void onlyFsyncAndACommitThatWaitsForTheDiskAreDurable() {
    assertThat(new Durability("on", "on", "15.1", 150001).durable()).isTrue();
    assertThat(new Durability("on", "local", "15.1", 150001).durable()).isTrue();
    assertThat(new Durability("on", "remote_apply", "15.1", 150001).durable()).isTrue();
    assertThat(new Durability("off", "on", "15.1", 150001).durable()).isFalse();
    assertThat(new Durability("on", "off", "15.1", 150001).durable()).isFalse();
    assertThat(new Durability("on", "on", "15.1", 150001).describe()).isEqualTo("fsync on, synchronous_commit on: durable");
    assertThat(new Durability("off", "off", "15.1", 150001).describe()).contains("NOT DURABLE");
  }

  private long count(String sql) {
    Pool pool = pool();
    try {
      return pool.query(sql).execute().await().iterator().next().getLong("n");
    } finally {
      pool.close().await();
    }
  }

  private void admin(String sql) {
    Pool pool = pool();
    try {
      pool.query(sql).execute().await();
    } finally {
      pool.close().await();
    }
  }

  private Pool pool() {
    return PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(server.url())).using(vertx).build();
  }
}
