package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
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

/** How long an executor's run lasts, as a user sees it: until the executor exits, and not a moment of silence less. */
@Timeout(120)
class ExecutorLifetimeTest {
  @TempDir
  Path dir;

  /**
   * A daemon started by the executor in a session of its own, still holding the executor's stdout: before, the agent
   * waited for that pipe to close, so the task stayed RUNNING with its lease renewed forever and the agent never
   * worked again. Now the task ends when the executor exits, and the daemon dies with it.
   */
  @Test
  void anExecutorThatLeavesADaemonBehindEndsAndTheDaemonDiesWithItsTask() throws Exception {
    Path pid = dir.resolve("daemon.pid");
    Executors executors = new Executors(dir.resolve("executors"))
        .script("daemonizes", """
            setsid sh -c 'echo $$ > "%s"; exec sleep 1000' &
            while [ ! -s '%s' ]; do sleep 0.05; done
            echo "ResultData: started a daemon"
            """.formatted(pid, pid))
        .script("after", "echo 'ResultData: the agent works again'");
    try (TaskhubNode node = TaskhubNode.named("daemon", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).start()) {
      Api api = node.api();
      long id = api.submit(new JsonObject().put("type", "daemonizes")).getLong("id");

      JsonObject task = api.awaitEnd(id, seconds(20));

      assertThat(task.getString("state")).isEqualTo("DONE");
      assertThat(task.getString("resultData")).isEqualTo("started a daemon");
      long daemon = Long.parseLong(Files.readString(pid).trim());
      await().atMost(seconds(10)).until(() -> !TaskhubNode.isAlive(daemon));
      long next = api.submit(new JsonObject().put("type", "after")).getLong("id");
      assertThat(api.awaitEnd(next, seconds(20)).getString("state")).as("the one agent is free again").isEqualTo("DONE");
    }
  }

  /** A progress bar redrawn with \r and never a newline: before, it was "silent" and killed after the timeout. */
  @Test
  void aProgressBarDrawnWithCarriageReturnsIsASignOfLife() throws Exception {
    Executors executors = new Executors(dir.resolve("executors")).script("bar", """
        i=0
        while [ $i -le 10 ]; do printf 'Progress: %d%%\\r' $((i * 10)); sleep 0.4; i=$((i + 1)); done
        """);
    try (TaskhubNode node = TaskhubNode.named("progress-bar", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).set("agent.executorTimeoutSeconds", 2).start()) {
      Api api = node.api();
      long id = api.submit(new JsonObject().put("type", "bar")).getLong("id");

      JsonObject task = api.awaitEnd(id, seconds(30));

      assertThat(task.getString("state")).isEqualTo("DONE");
      assertThat(task.getInteger("attempts")).isEqualTo(1);
      assertThat(task.getDouble("progress")).isEqualTo(100.0);
    }
  }
}
