package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
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

/** A node that leaves the cluster stays on the monitor, greyed as gone, instead of silently disappearing. */
@Timeout(180)
class MonitorShowsGoneNodesTest {
  @TempDir
  Path dir;

  @Test
  void aKilledNodeIsShownAsGoneOnThePageAndInTheApi() throws Exception {
    TestCluster cluster = new TestCluster(2);
    String db = TestDatabase.createDatabase();
    Path executors = new Executors(dir.resolve("executors")).dir();
    try (TaskhubNode monitor = TaskhubNode.named("gone-monitor", Files.createDirectories(dir.resolve("a"))).cluster(cluster).database(db)
             .executors(executors).roles("hub,monitor,http").set("heartbeat.periodSeconds", 1).start();
         TaskhubNode worker = TaskhubNode.named("gone-worker", Files.createDirectories(dir.resolve("b"))).cluster(cluster).database(db)
             .executors(executors).roles("agents").set("agent.count", 1).set("heartbeat.periodSeconds", 1).start();
         Chromium browser = Chromium.start(dir.resolve("chromium"), 1280, 900)) {
      Api api = monitor.api();
      browser.open(api.base() + "/");
      await().atMost(seconds(30)).until(() -> browser.all(".node[data-node-id]").size() == 2);
      assertThat(browser.all(".node.gone")).isEmpty();

      worker.kill9();

      await().atMost(seconds(30)).until(() -> browser.all(".node.gone").size() == 1);
      assertThat(browser.text("#machines-summary")).isEqualTo("1 up · 1 gone");
      assertThat(browser.text(".node.gone")).contains("gone").contains("last heard");
      JsonObject gone = api.get("/api/nodes").json().getJsonArray("nodes").stream().map(JsonObject.class::cast)
          .filter(n -> n.getBoolean("gone")).findFirst().orElseThrow();
      assertThat(gone.getString("id")).isEqualTo(worker.nodeId());
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }
}
