package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.OneTypeFinalizer;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a task's own settings and the node's bounds promise, checked with real executors: a task's timeout, a delayed
 * task's start, the log's cap, and that a Java finalizer runs only for the types it names.
 */
@Timeout(180)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskLimitsTest {
  static final int MAX_LOG_CHARS = 2000;
  Path dir;
  Path finalizations;
  Path oneType;
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    this.dir = dir;
    finalizations = dir.resolve("finalizations.txt");
    oneType = dir.resolve("one-type.txt");
    Executors executors = new Executors(dir.resolve("executors"))
        .script("talks-forever", """
            pidfile=$(sed -n 's/.*"pidFile":"\\([^"]*\\)".*/\\1/p' "$TASKHUB_DATA_FILE")
            echo $$ > "$pidfile"
            while true; do echo "Progress: still going"; sleep 0.2; done
            """)
        .script("quick", "echo 'ResultData: ok'")
        .script(OneTypeFinalizer.TYPE, "echo 'ResultData: ok'")
        .script("chatty", "i=1; while [ $i -le 300 ]; do echo \"log line $(printf %04d $i) of three hundred\"; i=$((i + 1)); done");
    node = TaskhubNode.named("task-limits", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 3).set("task.maxLogChars", MAX_LOG_CHARS)
        .withTestFinalizer(finalizations).env(OneTypeFinalizer.FILE_ENV, oneType.toString()).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void aTaskStillRunningAfterItsTimeoutIsKilledAndItsAttemptFailsWithTimeout() throws Exception {
    Path pidFile = dir.resolve("talks-forever.pid");
    long id = api.submit(new JsonObject().put("type", "talks-forever").put("timeoutSeconds", 2)
        .put("data", new JsonObject().put("pidFile", pidFile.toString()))).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(task.getJsonObject("error").getString("type")).isEqualTo("Timeout");
    assertThat(task.getJsonObject("error").getString("message")).contains("timeoutSeconds 2");
    Duration ran = Duration.between(Instant.parse(task.getString("startedAt")), Instant.parse(task.getString("finishedAt")));
    assertThat(ran).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    await().atMost(seconds(5)).until(() -> !TaskhubNode.isAlive(pid));
  }

  @Test
  void aDelayedTaskStartsWithinASecondOfItsRunAt() {
    // One at a time, so that nothing but the passing of time wakes the idle agents (a task ending would make its
    // agent look for work), each due at another point of a second.
    List<Duration> late = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Instant runAt = Instant.now().plusMillis(1500 + 170L * i);
      long id = api.submit(new JsonObject().put("type", "quick").put("runAt", runAt.toString())).getLong("id");
      JsonObject task = api.awaitEnd(id, seconds(30));
      late.add(Duration.between(Instant.parse(task.getString("runAt")), Instant.parse(task.getString("startedAt"))));
    }
    assertThat(late).as("from runAt to the start of each task: " + late).allMatch(d -> !d.isNegative() && d.toMillis() < 1000);
  }

  @Test
  void aTasksStoredLogKeepsOnlyItsTailUpToTaskMaxLogChars() {
    long id = api.submit(new JsonObject().put("type", "chatty")).getLong("id");
    assertThat(api.awaitEnd(id, seconds(30)).getString("state")).isEqualTo("DONE");

    String log = api.get("/api/tasks/" + id + "/log").json().getString("log");

    assertThat(log.length()).isLessThanOrEqualTo(MAX_LOG_CHARS).isGreaterThan(MAX_LOG_CHARS - 100);
    assertThat(log).endsWith("log line 0300 of three hundred\n").doesNotContain("log line 0001");
  }

  @Test
  void aJavaFinalizerRunsOnlyForTheTypesItNames() throws Exception {
    long mine = api.submit(new JsonObject().put("type", OneTypeFinalizer.TYPE)).getLong("id");
    long other = api.submit(new JsonObject().put("type", "quick")).getLong("id");
    api.awaitEnd(mine, seconds(30));
    api.awaitEnd(other, seconds(30));

    // Both were finalized (the catch-all finalizer saw both) ...
    await().atMost(seconds(30)).until(() -> Files.exists(finalizations)
        && Files.readAllLines(finalizations).containsAll(List.of(mine + " DONE", other + " DONE")));
    // ... but the one-type finalizer saw only its type.
    List<String> seen = Files.readAllLines(oneType);
    assertThat(seen).contains(mine + " " + OneTypeFinalizer.TYPE);
    assertThat(seen).noneMatch(line -> line.startsWith(other + " ")).allMatch(line -> line.endsWith(" " + OneTypeFinalizer.TYPE));
  }
}
