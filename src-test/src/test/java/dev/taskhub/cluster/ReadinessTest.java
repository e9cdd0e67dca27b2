package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Ports;
import dev.taskhub.testing.TaskhubNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /ready} follows the database: 503 with a reason while PostgreSQL is away, 200 once it is back; /health stays up. */
@Timeout(180)
class ReadinessTest {
  @TempDir
  Path dir;

  @Test
  void readyGoes503WhenTheDatabaseStopsAnd200WhenItReturns() throws Exception {
    int port = Ports.free();
    Path data = dir.resolve("postgres");
    EmbeddedPostgres postgres = start(data, port);
    try (TaskhubNode node = TaskhubNode.named("readiness", Files.createDirectories(dir.resolve("node")))
        .database("postgresql://postgres@localhost:" + port + "/postgres").set("agent.count", 0).start()) {
      Api api = node.api();
      Api.Response ready = api.get("/ready");
      assertThat(ready.status()).as(ready.text()).isEqualTo(200);
      assertThat(ready.json().getString("status")).isEqualTo("READY");

      postgres.close();
      try {
        await().atMost(seconds(30)).until(() -> api.get("/ready").status() == 503);
        Api.Response notReady = api.get("/ready");
        assertThat(notReady.json().getString("status")).isEqualTo("NOT_READY");
        assertThat(notReady.json().getJsonArray("reasons").getString(0)).startsWith("the database does not answer");
        assertThat(api.get("/health").status()).as("liveness does not depend on the database").isEqualTo(200);
      } finally {
        postgres = start(data, port);
      }

      await().atMost(seconds(60)).pollInterval(java.time.Duration.ofMillis(500)).until(() -> api.get("/ready").status() == 200);
      assertThat(api.get("/ready").json().getString("status")).isEqualTo("READY");
    } finally {
      postgres.close();
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }
}
