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

/** A node killed with kill -9: its tasks run again on a live node at once, and nothing it started lives on. */
@Timeout(300)
class NodeLossTest {
  @TempDir
  Path dir;

  @Test
  void theTasksOfAKilledNodeRunAgainOnALiveNodeAndItsExecutorsDieWithIt() throws Exception {
    Workload work = new Workload(dir, 120, 2);
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    // Leases are long (30 s): what brings the tasks back quickly is the node's departure, not lease expiry.
    try (TaskhubNode hub = work.node("node-loss-hub", dir, cluster, db).roles("hub,http").start();
         TaskhubNode doomed = work.node("node-loss-doomed", dir, cluster, db).roles("agents").set("agent.count", 3).start();
         TaskhubNode survivor = work.node("node-loss-survivor", dir, cluster, db).roles("agents").set("agent.count", 3)) {
      Api api = hub.api();
      List<Long> ids = work.submit(api, 3);
      await().atMost(seconds(60)).until(() -> work.running(api) == 3 && work.pidsOfAttempt(1).size() == 6);
      survivor.start();

      doomed.kill9();

      // Every executor of the dead node, and the child each one started, died with it.
      List<Long> orphans = work.pidsOfAttempt(1);
      await().atMost(seconds(20)).until(() -> Workload.noneAlive(orphans));
      work.awaitAllDone(api, ids, seconds(120));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
      for (long id : ids) {
        assertThat(api.task(id).getInteger("attempts")).isEqualTo(2);
        assertThat(api.get("/api/tasks/" + id + "/log").json().getString("log")).contains("left the cluster: released");
      }
      await().atMost(seconds(20)).until(() -> Workload.noneAlive(work.allPids()));
    }
  }
}
