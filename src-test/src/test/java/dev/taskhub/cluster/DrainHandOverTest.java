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
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A task that outlives its draining node's grace is killed there, given back at once, and runs again on another node. */
@Timeout(240)
class DrainHandOverTest {
  @TempDir
  Path dir;

  @Test
  void aTaskThatOutlivesTheGraceIsReleasedAndRunsAgainOnAnotherNodeWithoutCountingAnAttempt() throws Exception {
    Path runs = dir.resolve("runs.txt");
    Path firstPid = dir.resolve("first.pid");
    // The first run never ends by itself; a later run ends at once. Each says which attempt and fence it ran as.
    Executors executors = new Executors(dir.resolve("executors")).script("outlives", """
        echo "$TASKHUB_ATTEMPT $TASKHUB_FENCE" >> '%1$s'
        if [ ! -e '%2$s' ]; then
          echo $$ > '%2$s'
          while :; do echo 'Progress: still going'; sleep 0.2; done
        fi
        echo 'ResultData: ended elsewhere'
        """.formatted(runs, firstPid));
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode leaving = node("drain-leaving", cluster, db, executors).set("node.shutdownGraceSeconds", 2).start();
         TaskhubNode staying = node("drain-staying", cluster, db, executors)) {
      Api api = leaving.api();
      long id = api.submit(new JsonObject().put("type", "outlives")).getLong("id");
      assertThat(api.awaitState(id, "RUNNING", seconds(30)).getString("node")).isEqualTo(leaving.nodeId());
      await().atMost(seconds(10)).until(() -> Files.exists(firstPid));
      long executor = Long.parseLong(Files.readString(firstPid).trim());
      Api other = staying.start().api();

      long signalled = System.nanoTime();
      leaving.terminate();

      assertThat(leaving.awaitExit(seconds(60))).isZero();
      long stoppedAfterMs = (System.nanoTime() - signalled) / 1_000_000;
      assertThat(TaskhubNode.isAlive(executor)).isFalse();
      JsonObject task = other.awaitState(id, "DONE", seconds(60));
      assertThat(task.getString("node")).isEqualTo(staying.nodeId());
      assertThat(task.getString("resultData")).isEqualTo("ended elsewhere");
      assertThat(task.getInteger("attempts")).as("the release is not an attempt").isEqualTo(1);
      assertThat(other.get("/api/tasks/" + id + "/log").json().getString("log"))
          .contains("released: agent " + leaving.nodeId() + "/agent-1 stopped: its node shut down before the task ended "
              + "(node.shutdownGraceSeconds 2)")
          .doesNotContain("left the cluster");
      List<String> attempts = Files.readAllLines(runs);
      assertThat(attempts).hasSize(2);
      assertThat(attempts).extracting(line -> line.split(" ")[0]).containsExactly("1", "1");
      assertThat(leaving.logText()).contains("the grace of 2 s ran out");
      // Its last heartbeat said it stopped: gone at once, not after three silent heartbeat periods (90 s here).
      String leavingId = leaving.nodeId();
      JsonObject left = other.get("/api/nodes").json().getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(n -> n.getString("id").equals(leavingId)).findFirst().orElseThrow();
      assertThat(left.getBoolean("gone")).isTrue();
      assertThat(left.getBoolean("draining")).isTrue();
      // The grace, then the kill and the release, then the ordered stop: seconds, not a lease or a cluster timeout.
      assertThat(stoppedAfterMs).isLessThan(20_000);
    }
  }

  private TaskhubNode node(String name, TestCluster cluster, String db, Executors executors) throws Exception {
    return TaskhubNode.named(name, Files.createDirectories(dir.resolve(name))).cluster(cluster).database(db)
        .executors(executors.dir()).set("agent.count", 1).roles("hub,agents,http");
  }
}
