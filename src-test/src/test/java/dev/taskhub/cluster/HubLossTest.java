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

/** Two hubs on two nodes, agents on a third: a hub killed mid-flight costs no executor and no result. */
@Timeout(300)
class HubLossTest {
  @TempDir
  Path dir;

  @Test
  void whenAHubDiesAgentsKeepTheirExecutorsAndReportToTheSurvivingHub() throws Exception {
    Workload work = new Workload(dir, 8, 8);
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    try (TaskhubNode first = work.node("hub-loss-first", dir, cluster, db).roles("hub,http").start();
         TaskhubNode second = work.node("hub-loss-second", dir, cluster, db).roles("hub,http").start();
         TaskhubNode agents = work.node("hub-loss-agents", dir, cluster, db).roles("agents").set("agent.count", 3)
             .set("agent.leasePeriodSeconds", 4).start()) {
      Api api = second.api();
      List<Long> ids = work.submit(first.api(), 6);
      await().atMost(seconds(60)).until(() -> work.running(api) == 3);
      boolean firstLed = first.logText().contains("runs the periodic maintenance");

      first.kill9();

      work.awaitAllDone(api, ids, seconds(150));
      work.assertEachRanAndWasFinalizedOnce(api, ids);
      // No executor was given up: every task ran once, in its first attempt.
      ids.forEach(id -> assertThat(api.task(id).getInteger("attempts")).isEqualTo(1));
      if (firstLed) {
        second.awaitLog("runs the periodic maintenance", seconds(30)); // the periodic jobs moved
      }
    }
  }
}
