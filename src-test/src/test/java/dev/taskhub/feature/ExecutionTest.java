package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

/** One node, real executors: what a task's executor receives, and what its output turns into. */
@Timeout(120)
class ExecutionTest {
  @TempDir
  Path dir;
  TaskhubNode node;
  Api api;

  @BeforeEach
  void startNode() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("echo-data", """
            echo "Progress: 10%"
            echo "Progress: reading the data"
            echo "ResultData: data=$(cat "$TASKHUB_DATA_FILE")"
            echo "ResultData: task=$TASKHUB_TASK_ID type=$TASKHUB_TASK_TYPE attempt=$TASKHUB_ATTEMPT args=$#"
            echo "a plain line for the log"
            echo "to stderr" >&2
            echo "Progress: 90%"
            """)
        .script("slow-progress", """
            for i in 1 2 3 4 5 6; do echo "Progress: $((i * 15))%"; echo "Progress: step $i"; sleep 0.4; done
            echo "ResultData: finished"
            """)
        .script("fails", """
            echo "Progress: 40%"
            echo 'ERROR: {"type":"DiskFull","message":"no space left on /scratch","stackTrace":"at step 2"}'
            exit 3
            """)
        .script("exits-2", "echo 'something went wrong' >&2; exit 2")
        .script("secret-env", "echo \"ResultData: $(env | grep -c SECRET_FROM_AGENT)\"")
        .script("writes-nul", """
            printf 'Progress: half\\0way\\n'
            printf 'a log line with a \\0 in it\\n'
            printf 'to stderr \\0\\n' >&2
            printf 'StartSubtask: {"id":"s1","t":"step \\\\u0000"}\\n'
            printf 'Progress: {"op":1,"opm":2,"d":"x\\\\u0000y"}\\n'
            printf 'ResultData: a\\0b\\n'
            """);
    executors.script("classic", "echo \"ResultData: $(printf '%s' \"$1\" | wc -c) bytes\"");
    Files.writeString(dir.resolve("executors/classic/executor.properties"), "arguments=classic\n");
    node = TaskhubNode.named("execution", dir)
        .database(TestDatabase.createDatabase())
        .executors(executors.dir())
        .set("agent.count", 2)
        .start();
    api = node.api();
  }

  @AfterEach
  void stopNode() throws Exception {
    node.close();
  }

  @Test
  void anExecutorReceivesItsDataAndItsProgressResultAndLogAreRecorded() {
    JsonObject data = new JsonObject().put("file", "report.pdf").put("pages", 12).put("tags", List.of("ä", "b"));
    long id = api.submit(new JsonObject().put("type", "echo-data").put("data", data)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("DONE");
    assertThat(task.getInteger("resultCode")).isZero();
    assertThat(task.getString("resultData")).isEqualTo("data=" + data.encode() + "\n"
        + "task=" + id + " type=echo-data attempt=1 args=0");
    assertThat(task.getString("progressMessage")).isEqualTo("reading the data");
    assertThat(task.getInteger("attempts")).isEqualTo(1);
    assertThat(task.getString("startedAt")).isNotNull();
    assertThat(task.getString("finishedAt")).isNotNull();
    String log = api.get("/api/tasks/" + id + "/log").json().getString("log");
    assertThat(log).contains("a plain line for the log").contains("to stderr").doesNotContain("ResultData:");
  }

  @Test
  void anExecutorWritingNulCharactersEndsDoneOnceWithEachNulReplaced() {
    long id = api.submit(new JsonObject().put("type", "writes-nul")).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    // PostgreSQL stores no U+0000: before, every report and the completion failed and the task ran again forever.
    assertThat(task.getString("state")).isEqualTo("DONE");
    assertThat(task.getInteger("attempts")).isEqualTo(1);
    assertThat(task.getString("resultData")).isEqualTo("a\uFFFDb");
    assertThat(task.getString("progressMessage")).isEqualTo("x\uFFFDy");
    String log = api.get("/api/tasks/" + id + "/log").json().getString("log");
    assertThat(log).contains("a log line with a \uFFFD in it").contains("to stderr \uFFFD").doesNotContain("attempt 2");
  }

  @Test
  void dataHoldingAnEscapedNulReachesTheExecutorUnchanged() {
    JsonObject data = new JsonObject().put("s", "a\0b");
    long id = api.submit(new JsonObject().put("type", "echo-data").put("data", data)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    // The data column is json, not jsonb: it keeps the escape as written, so nothing needs refusing.
    assertThat(task.getString("state")).isEqualTo("DONE");
    assertThat(task.getJsonObject("data")).isEqualTo(data);
    assertThat(task.getString("resultData")).startsWith("data={\"s\":\"a\\u0000b\"}\n");
  }

  @Test
  void aClassicExecutorGetsItsDataAsAnArgumentUpToTheKernelsLimit() {
    JsonObject data = new JsonObject().put("text", "x".repeat(100_000));
    long id = api.submit(new JsonObject().put("type", "classic").put("data", data)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("DONE");
    assertThat(task.getString("resultData")).isEqualTo(("DATA:" + data.encode()).length() + " bytes");
  }

  @Test
  void dataOverTheKernelsArgumentLimitEndsAClassicExecutorsTaskAtOnceWithAClearErrorAndNoRetry() {
    JsonObject data = new JsonObject().put("text", "x".repeat(200_000));
    long id = api.submit(new JsonObject().put("type", "classic").put("data", data).put("maxAttempts", 3)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(task.getInteger("attempts")).isEqualTo(1);
    assertThat(task.getJsonObject("error").getString("type")).isEqualTo("DataTooLargeForArguments");
    assertThat(task.getJsonObject("error").getString("message")).contains("arguments=classic").contains("TASKHUB_DATA_FILE");
  }

  @Test
  void progressIsRecordedWhileTheExecutorRuns() {
    long id = api.submit(new JsonObject().put("type", "slow-progress")).getLong("id");

    List<Double> seen = new ArrayList<>();
    await().atMost(seconds(30)).pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
      JsonObject task = api.task(id);
      Double progress = task.getDouble("progress");
      if (task.getString("state").equals("RUNNING") && progress != null && !seen.contains(progress)) {
        seen.add(progress);
      }
      return task.getString("state").equals("DONE");
    });

    assertThat(seen).hasSizeGreaterThanOrEqualTo(2).isSorted();
    assertThat(seen.get(seen.size() - 1)).isLessThan(100.0);
    assertThat(api.task(id).getDouble("progress")).isEqualTo(100.0);
  }

  @Test
  void anExecutorThatPrintsAnErrorObjectAndExits3EndsInErrorWithThatObject() {
    long id = api.submit(new JsonObject().put("type", "fails")).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(task.getInteger("resultCode")).isEqualTo(3);
    assertThat(task.getJsonObject("error")).isEqualTo(new JsonObject()
        .put("type", "DiskFull").put("message", "no space left on /scratch").put("stackTrace", "at step 2"));
    assertThat(task.getDouble("progress")).isEqualTo(40.0);
  }

  @Test
  void aNonZeroExitWithoutAnErrorLineIsAnErrorNamingTheExitCode() {
    long id = api.submit(new JsonObject().put("type", "exits-2")).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(30));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(task.getInteger("resultCode")).isEqualTo(2);
    assertThat(task.getJsonObject("error").getString("message")).contains("exited with code 2");
  }

  @Test
  void aFailingTaskIsRetriedWhileAttemptsRemain() {
    long id = api.submit(new JsonObject().put("type", "exits-2").put("maxAttempts", 2)).getLong("id");

    JsonObject task = api.awaitEnd(id, seconds(40));

    assertThat(task.getString("state")).isEqualTo("ERROR");
    assertThat(task.getInteger("attempts")).isEqualTo(2);
    assertThat(api.get("/api/tasks/" + id + "/log").json().getString("log")).contains("--- attempt 2 ---");
  }

  @Test
  void theJavaSampleExecutorBuiltOnTheSdkCountsWords() throws Exception {
    Path samples = Path.of(System.getProperty("taskhub.conf", "../conf")).resolve("executors").toAbsolutePath();
    Files.copy(samples.resolve("wordcount/wordcount.jar"), Files.createDirectories(dir.resolve("executors/wordcount")).resolve("wordcount.jar"));
    await().atMost(seconds(20)).until(() -> {
      // agents rescan executors.dir every few seconds: a new executor needs no restart
      long id = api.submit(new JsonObject().put("type", "wordcount").put("data", new JsonObject().put("text", "to be or not to be").put("top", 2))).getLong("id");
      JsonObject task = api.awaitEnd(id, seconds(30));
      assertThat(task.getString("state")).isEqualTo("DONE");
      JsonObject result = new JsonObject(task.getString("resultData"));
      assertThat(result.getInteger("words")).isEqualTo(6);
      assertThat(result.getJsonArray("top").getJsonObject(0).getString("word")).isEqualTo("be");
      return true;
    });
  }

  @Test
  void theNodeShowsItsMachineAndItsAgentsAndWhatTheyRun() {
    long id = api.submit(new JsonObject().put("type", "slow-progress")).getLong("id");
    await().atMost(seconds(20)).until(() -> api.get("/api/agents").json().getJsonArray("agents").stream()
        .map(JsonObject.class::cast).anyMatch(a -> Long.valueOf(id).equals(a.getLong("taskId")) && a.getString("state").equals("busy")));

    // The first heartbeat may come after the agents' statuses (a node publishes one shortly after it starts).
    await().atMost(seconds(40)).until(() -> !api.get("/api/nodes").json().getJsonArray("nodes").isEmpty());
    JsonObject self = api.get("/api/nodes").json().getJsonArray("nodes").getJsonObject(0);
    assertThat(self.getBoolean("self")).isTrue();
    assertThat(self.getBoolean("gone")).isFalse();
    assertThat(self.getDouble("cpu")).isBetween(0.0, 100.0);
    assertThat(self.getJsonObject("memory").getLong("totalMb")).isPositive();
    assertThat(self.getJsonObject("memory").getLong("freeMb")).isPositive();
    assertThat(self.getJsonObject("agents").getInteger("total")).isEqualTo(2);
    assertThat(self.getJsonArray("roles").getList()).contains("hub", "agents", "http");

    api.awaitEnd(id, seconds(30));
    await().atMost(seconds(10)).until(() -> api.get("/api/agents").json().getJsonArray("agents").stream()
        .map(JsonObject.class::cast).allMatch(a -> a.getString("state").equals("idle")));
  }

  @Test
  void executorsDoNotSeeTheAgentsEnvironment() throws Exception {
    // A node whose own environment holds a secret: its executors must not see it.
    node.close();
    TaskhubNode withSecret = TaskhubNode.named("execution-secret", dir)
        .database(TestDatabase.createDatabase())
        .executors(dir.resolve("executors"))
        .set("agent.count", 1);
    withSecret.env("SECRET_FROM_AGENT", "hunter2").start();
    try {
      long id = withSecret.api().submit(new JsonObject().put("type", "secret-env")).getLong("id");
      JsonObject task = withSecret.api().awaitEnd(id, seconds(30));
      assertThat(task.getString("resultData")).isEqualTo("0");
    } finally {
      withSecret.close();
    }
  }
}
