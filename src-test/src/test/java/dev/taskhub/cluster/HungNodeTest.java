package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that hangs (SIGSTOP) loses its tasks, and its executors die before those tasks run elsewhere: two executors
 * of one task never run at once. When it wakes (SIGCONT) nothing its agents report is kept: the stored result is the
 * current lease holder's.
 */
@Timeout(300)
class HungNodeTest {
  @TempDir
  Path dir;

  @Test
  void aHungNodesExecutorsAreDeadBeforeItsTasksRunElsewhereAndNothingItReportsIsKept() throws Exception {
    Workload work = new Workload(dir, 120, 2);
    TestCluster cluster = new TestCluster(3).maxNoHeartbeatSeconds(5);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode hub = work.node("hung-hub", dir, cluster, db).roles("hub,http").set("agent.leasePeriodSeconds", 4).start();
         TaskhubNode hung = work.node("hung-node", dir, cluster, db).roles("agents").set("agent.count", 2)
             .set("agent.leasePeriodSeconds", 4).start();
         TaskhubNode healthy = work.node("hung-healthy", dir, cluster, db).roles("agents").set("agent.count", 2)
             .set("agent.leasePeriodSeconds", 4)) {
      Api api = hub.api();
      List<Long> ids = work.submit(api, 2);
      await().atMost(seconds(60)).until(() -> work.running(api) == 2 && work.pidsOfAttempt(1).size() == 4);
      healthy.start();

      hung.pause();
      try {
        // The hung node's tasks are released (its membership or its leases run out) and run again elsewhere.
        await().atMost(seconds(90)).pollInterval(java.time.Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> ids.stream().allMatch(id -> api.task(id).getInteger("attempts") >= 2));
        // But not before the hung node's executors, and what they started, were dead: the spawner fenced them
        // when the JVM fell silent, and by their own clocks they stopped before the second attempt began.
        await().atMost(seconds(30)).until(() -> Workload.noneAlive(work.pidsOfAttempt(1)));
        for (long id : ids) {
          await().atMost(seconds(30)).until(() -> work.startOf(id, 2) > 0);
          assertThat(work.lastSignOfLife(id, 1)).as("task %d: last sign of life of attempt 1 vs start of attempt 2", id)
              .isPositive().isLessThan(work.startOf(id, 2));
        }
      } finally {
        hung.resume();
      }

      work.awaitAllDone(api, ids, seconds(120));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
      assertThat(hung.logText()).contains("the spawner killed its 2 executors");
    }
  }

  @Test
  void aHubThatWakesFromAFreezeTakesNoTaskAwayFromHealthyNodes() throws Exception {
    Workload work = new Workload(dir, 20, 1);
    TestCluster cluster = new TestCluster(2).maxNoHeartbeatSeconds(5);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode frozen = work.node("frozen-hub", dir, cluster, db).roles("hub,http").set("agent.leasePeriodSeconds", 5).start();
         TaskhubNode healthy = work.node("healthy-hub", dir, cluster, db).roles("hub,http,agents").set("agent.count", 2)
             .set("agent.leasePeriodSeconds", 5).start()) {
      Api api = healthy.api();
      List<Long> ids = work.submit(api, 2);
      await().atMost(seconds(60)).until(() -> work.running(api) == 2);

      boolean frozenLed = frozen.logText().contains("runs the periodic maintenance");
      frozen.pause();
      try {
        Thread.sleep(12_000); // long enough for the cluster to drop it
        if (frozenLed) {
          // A hung leader keeps its database connection: the healthy hub ends it and takes the periodic jobs over.
          healthy.awaitLog("runs the periodic maintenance", seconds(60));
        }
      } finally {
        frozen.resume();
      }

      work.awaitAllDone(api, ids, seconds(120));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
      // The healthy node's tasks were never taken from it.
      ids.forEach(id -> assertThat(api.task(id).getInteger("attempts")).isEqualTo(1));
    }
  }
}
