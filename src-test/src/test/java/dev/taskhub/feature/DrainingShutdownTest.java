package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Chromium;
import dev.taskhub.testing.Cli;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
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
 * A node told to stop (SIGTERM, taskhub stop) drains: it takes no new work, lets the task it runs end and be recorded,
 * and exits 0 — on its embedded PostgreSQL, which must outlive the hub's last write.
 */
@Timeout(240)
class DrainingShutdownTest {
  @TempDir
  Path dir;

  @Test
  void aDrainingNodeLetsItsRunningTaskEndDoneOnItsFirstAttemptRefusesNewWorkAndExitsZero() throws Exception {
    Path gate = dir.resolve("gate");
    Executors executors = new Executors(dir.resolve("executors")).script("gated", """
        while [ ! -e '%s' ]; do echo 'Progress: waiting for the gate'; sleep 0.2; done
        sleep 1
        echo "ResultData: ended on attempt $TASKHUB_ATTEMPT"
        """.formatted(gate));
    Path pidFile = dir.resolve("run").resolve("taskhub.pid");
    TaskhubNode node = TaskhubNode.named("drain", dir).executors(executors.dir()).set("agent.count", 2).pidFile(pidFile).start();
    try (Chromium browser = Chromium.start(dir.resolve("chromium"), 1280, 900)) {
      Api api = node.api();
      browser.open(api.base() + "/");
      await().atMost(seconds(30)).until(() -> browser.all(".node[data-node-id]").size() == 1);
      assertThat(browser.all(".node.draining")).isEmpty();
      long id = api.submit(new JsonObject().put("type", "gated")).getLong("id");
      api.awaitState(id, "RUNNING", seconds(30));
      assertThat(Files.readString(pidFile).trim()).isEqualTo(Long.toString(node.pid()));

      Cli.Running stop = new Cli().start("stop", "--pid-file", pidFile.toString());

      await().atMost(seconds(10)).until(() -> api.get("/ready").status() == 503);
      assertThat(api.get("/ready").json().getJsonArray("reasons")).contains("draining");
      Api.Response refused = api.post("/api/tasks", new JsonObject().put("type", "gated").encode());
      assertThat(refused.status()).as(refused.text()).isEqualTo(503);
      assertThat(refused.json().getString("error")).contains("draining");
      Api.Response schedule = api.send("/api/schedules/nightly", "PUT",
          new JsonObject().put("cron", "0 0 3 * * *").put("task", new JsonObject().put("type", "gated")).encode());
      assertThat(schedule.status()).as(schedule.text()).isEqualTo(503);
      // Reads, liveness and the node list go on; the node says it drains.
      assertThat(api.get("/health").status()).isEqualTo(200);
      assertThat(api.task(id).getString("state")).isEqualTo("RUNNING");
      assertThat(api.get("/api/tasks").status()).isEqualTo(200);
      assertThat(api.get("/api/stats").status()).isEqualTo(200);
      await().atMost(seconds(5)).until(() -> api.get("/api/nodes").json().getJsonArray("nodes").getJsonObject(0)
          .getBoolean("draining", false));
      await().atMost(seconds(10)).until(() -> browser.all(".node.draining").size() == 1);
      assertThat(browser.text(".node.draining header")).contains("draining");
      assertThat(browser.text("#machines-summary")).isEqualTo("1 up · 1 draining");
      assertThat(browser.consoleErrors()).isEmpty();
      assertThat(node.isRunning()).isTrue();

      Files.createFile(gate); // the task may end now

      Cli.Result stopped = stop.await();
      assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
      assertThat(stopped.out()).contains("stopped");
      assertThat(node.awaitExit(seconds(30))).isZero();
      assertThat(pidFile).doesNotExist();
      String log = node.logText();
      assertThat(log).contains("drained: every task it ran has ended and been recorded");
      assertThat(log).doesNotContain("grace of");

      // Back up on the same embedded PostgreSQL: the end was recorded before the node let its database go.
      Api again = node.start().api();
      JsonObject task = again.task(id);
      assertThat(task.getString("state")).isEqualTo("DONE");
      assertThat(task.getInteger("attempts")).isEqualTo(1);
      assertThat(task.getString("resultData")).isEqualTo("ended on attempt 1");
      assertThat(again.get("/api/tasks").json().getJsonArray("tasks")).hasSize(1); // the refused registration made nothing
      assertThat(again.get("/api/schedules").json().getJsonArray("schedules")).isEmpty();
    } finally {
      node.close();
    }
  }

  @Test
  void aSecondSignalKillsWhatStillRunsAndReleasesItAtOnce() throws Exception {
    Path pid = dir.resolve("endless.pid");
    Executors executors = new Executors(dir.resolve("executors"))
        .script("endless", "echo $$ > '" + pid + "'; while :; do echo 'Progress: still going'; sleep 0.2; done");
    TaskhubNode node = TaskhubNode.named("drain-twice", dir).executors(executors.dir()).set("agent.count", 1)
        .set("node.shutdownGraceSeconds", 120).start();
    try {
      Api api = node.api();
      long id = api.submit(new JsonObject().put("type", "endless")).getLong("id");
      api.awaitState(id, "RUNNING", seconds(30));
      await().atMost(seconds(10)).until(() -> Files.exists(pid));
      long executor = Long.parseLong(Files.readString(pid).trim());

      node.terminate();
      await().atMost(seconds(10)).until(() -> api.get("/ready").status() == 503);
      long secondSignal = System.nanoTime();
      node.terminate(); // an operator who will not wait the 120 s

      assertThat(node.awaitExit(seconds(30))).isZero();
      assertThat((System.nanoTime() - secondSignal) / 1_000_000_000).isLessThan(20);
      assertThat(TaskhubNode.isAlive(executor)).isFalse();
      assertThat(node.logText()).contains("again while draining");

      // Given back, READY at once and the attempt not counted (no agent here now to take it again).
      Api again = node.set("agent.count", 0).start().api();
      JsonObject task = again.task(id);
      assertThat(task.getString("state")).isEqualTo("READY");
      assertThat(task.getInteger("attempts")).isZero();
      assertThat(again.get("/api/tasks/" + id + "/log").json().getString("log"))
          .contains("its node shut down before the task ended (node.shutdownGraceSeconds 120)");
    } finally {
      node.close();
    }
  }
}
