package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Ports;
import dev.taskhub.testing.TaskhubNode;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarted under load: registrations during the outage are refused with 503 and a clear message,
 * nothing accepted before is lost, and the hub reconnects by itself.
 */
@Timeout(300)
class DatabaseRestartTest {
  @TempDir
  Path dir;

  @Test
  void registrationsDuringAnOutageAre503AndEverythingAcceptedRunsOnceAfterTheDatabaseIsBack() throws Exception {
    int port = Ports.free();
    Path data = dir.resolve("postgres");
    EmbeddedPostgres postgres = start(data, port);
    Workload work = new Workload(dir, 3, 3);
    try (TaskhubNode node = TaskhubNode.named("db-restart", Files.createDirectories(dir.resolve("node")))
        .database("postgresql://postgres@localhost:" + port + "/postgres").executors(work.executorsDir())
        .withTestFinalizer(work.finalizationsFile()).set("agent.count", 2).start()) {
      Api api = node.api();
      List<Long> ids = new ArrayList<>(work.submit(api, 4));
      await().atMost(seconds(60)).until(() -> work.running(api) == 2);

      postgres.close();
      try {
        Api.Response refused = api.post("/api/tasks", new JsonObject().put("type", Workload.TYPE).encode());
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.json().getString("error")).startsWith("the database is unavailable");
        Thread.sleep(3000); // the running executors end while the database is away: their agents keep trying
      } finally {
        postgres = start(data, port);
      }

      // The hub reconnects by itself: registrations are accepted again.
      await().atMost(seconds(60)).pollInterval(java.time.Duration.ofMillis(500))
          .until(() -> api.get("/ready").status() == 200);
      ids.addAll(work.submit(api, 2));
      work.awaitAllDone(api, ids, seconds(120));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
    } finally {
      postgres.close();
    }
  }

  private static EmbeddedPostgres start(Path data, int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
  }
}
