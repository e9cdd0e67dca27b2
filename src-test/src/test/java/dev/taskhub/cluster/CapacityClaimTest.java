package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
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
 * Capacity-aware claiming: a node over its memory limit ({@code agent.minFreeMemoryMb}, checked against
 * MemAvailable) or its CPU limit ({@code agent.maxCpuLoad}) claims nothing, and the work goes to a node with room.
 */
@Timeout(240)
class CapacityClaimTest {
  @TempDir
  Path dir;

  @Test
  void nodesOverTheirCpuOrMemoryLimitClaimNothingAndTheWorkGoesToANodeWithRoom() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("work", "echo 'ResultData: ok'");
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode full = node("capacity-no-memory", cluster, db, executors).roles("hub,http,agents")
             .set("agent.minFreeMemoryMb", 100_000_000).start(); // 100 TB: never available
         TaskhubNode busy = node("capacity-busy-cpu", cluster, db, executors).roles("agents")
             .set("agent.maxCpuLoad", -1).start()) {           // -1 %: any CPU use is too much
      Api api = full.api();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        ids.add(api.submit(new JsonObject().put("type", "work")).getLong("id"));
      }
      Thread.sleep(4_000);
      ids.forEach(id -> assertThat(api.task(id).getString("state")).as("nobody has room").isEqualTo("READY"));

      try (TaskhubNode roomy = node("capacity-roomy", cluster, db, executors).roles("agents").start()) {
        for (long id : ids) {
          JsonObject task = api.awaitEnd(id, seconds(60));
          assertThat(task.getString("state")).isEqualTo("DONE");
          assertThat(task.getString("node")).isEqualTo(roomy.nodeId());
        }
      }
    }
  }

  private TaskhubNode node(String name, TestCluster cluster, String db, Executors executors) throws Exception {
    return TaskhubNode.named(name, Files.createDirectories(dir.resolve(name))).database(db).cluster(cluster)
        .executors(executors.dir()).set("agent.count", 2);
  }
}
