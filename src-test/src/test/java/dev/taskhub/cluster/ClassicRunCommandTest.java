package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
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
 * The classic per-node deployment: {@code taskhub run dev.taskhub.hub.HubVerticle -cluster -ha -conf hub.json}.
 * When that node dies, Vert.x HA redeploys the hub on a surviving HA node ({@code taskhub bare}), and the cluster
 * goes on taking and running tasks.
 */
@Timeout(300)
class ClassicRunCommandTest {
  @TempDir
  Path dir;

  @Test
  void aHubRunWithHaIsRedeployedOnASurvivingNodeWhenItsNodeDies() throws Exception {
    Workload work = new Workload(dir, 1, 1);
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    // A hand-written -conf file, nested as a Vert.x user writes it.
    Path hubConf = Files.writeString(dir.resolve("hub.json"), new JsonObject()
        .put("db", new JsonObject().put("url", db))
        .put("agent", new JsonObject().put("leasePeriodSeconds", 5)).encodePrettily());
    try (TaskhubNode front = work.node("classic-front", dir, cluster, db).roles("http,agents").set("agent.count", 2).start();
         TaskhubNode hub = work.node("classic-hub", dir, cluster, db)
             .command("run", "dev.taskhub.hub.HubVerticle", "-cluster", "-ha", "-conf", hubConf.toString()).start();
         TaskhubNode spare = work.node("classic-spare", dir, cluster, db).command("bare").start()) {
      hub.awaitLog("hub ready", seconds(60));
      Api api = front.api();
      List<Long> ids = new ArrayList<>(work.submit(api, 2));
      await().atMost(seconds(60)).until(() -> api.stats().getJsonObject("byState").getLong("DONE", 0L) == 2);

      hub.kill9();

      // HA redeploys the hub on the spare node; registrations are answered again.
      spare.awaitLog("hub ready", seconds(90));
      await().atMost(seconds(60)).pollInterval(java.time.Duration.ofMillis(500))
          .until(() -> api.get("/ready").status() == 200);
      ids.addAll(work.submit(api, 2));
      work.awaitAllDone(api, ids, seconds(90));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
      assertThat(spare.logText()).contains("hub ready");
    }
  }
}
