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

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison task: one that takes its node down (here it kills its own node's JVM, as the kernel's OOM killer would).
 * Losing a node is not counted as a failed attempt, so before task.maxLostAttempts it ran again forever, taking the
 * next node with it each time.
 */
@Timeout(300)
class PoisonTaskTest {
  @TempDir
  Path dir;

  @Test
  void aTaskThatKillsItsNodeEndsErrorNodeLostAfterThreeLostNodesInsteadOfRunningForever() throws Exception {
    Path starts = dir.resolve("starts.txt");
    Executors executors = new Executors(dir.resolve("executors")).script("kills-its-node", """
        echo "$TASKHUB_ATTEMPT" >> '%s'
        sleep 2
        pid=$$
        while [ "$pid" -gt 1 ]; do  # up the process tree to the node's JVM (the spawner and a shim are in between)
          pid=$(awk '/^PPid:/ {print $2}' /proc/$pid/status)
          if [ "$(cat /proc/$pid/comm)" = java ]; then kill -9 "$pid"; break; fi
        done
        sleep 60
        """.formatted(starts));
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode hub = TaskhubNode.named("poison-hub", Files.createDirectories(dir.resolve("hub")))
            .cluster(cluster).database(db).roles("hub,http").start();
         TaskhubNode agents = TaskhubNode.named("poison-agents", Files.createDirectories(dir.resolve("agents")))
            .cluster(cluster).database(db).roles("agents").executors(executors.dir()).set("agent.count", 1)) {
      Api api = hub.api();
      long id = api.submit(new JsonObject().put("type", "kills-its-node").put("maxAttempts", 1)).getLong("id");

      for (int lost = 1; lost <= 3; lost++) {
        agents.start();
        long pid = agents.pid();
        await().atMost(seconds(60)).until(() -> !TaskhubNode.isAlive(pid));
        await().atMost(seconds(30)).until(() -> !api.task(id).getString("state").equals("RUNNING"));
      }

      JsonObject task = api.awaitEnd(id, seconds(30));
      assertThat(task.getString("state")).isEqualTo("ERROR");
      assertThat(task.getJsonObject("error").getString("type")).isEqualTo("NodeLost");
      assertThat(task.getInteger("attempts")).isEqualTo(3);
      assertThat(Files.readAllLines(starts)).containsExactly("1", "2", "3");

      // The node comes back and stays up: the task is not run a fourth time.
      agents.start();
      Thread.sleep(5000);
      assertThat(TaskhubNode.isAlive(agents.pid())).isTrue();
      assertThat(Files.readAllLines(starts)).hasSize(3);
      assertThat(api.task(id).getString("state")).isEqualTo("ERROR");
    }
  }
}
