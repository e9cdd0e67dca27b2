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

@Timeout(120)
class InactivityTimeoutTest {
  @TempDir
  Path dir;

  @Test
  void aSilentExecutorAndTheChildItStartedAreBothKilledAndTheTaskReleasedUntilItsAttemptsAreSpent() throws Exception {
    Path pids = Files.createDirectories(dir.resolve("pids"));
    // The executor starts a child, says one line, then neither of them says anything again.
    Executors executors = new Executors(dir.resolve("executors")).script("silent", """
        sleep 1000 &
        echo $! > '%1$s/child-'$TASKHUB_ATTEMPT
        echo $$ > '%1$s/executor-'$TASKHUB_ATTEMPT
        echo "Progress: started"
        wait
        """.formatted(pids));
    try (TaskhubNode node = TaskhubNode.named("inactivity", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).set("agent.executorTimeoutSeconds", 2).start()) {
      Api api = node.api();
      long id = api.submit(new JsonObject().put("type", "silent").put("maxAttempts", 2)).getLong("id");

      long executor1 = awaitPid(pids.resolve("executor-1"));
      long child1 = awaitPid(pids.resolve("child-1"));
      assertThat(TaskhubNode.isAlive(child1)).isTrue();

      // First attempt: killed after 2 s of silence, then released and run again (the second of two attempts).
      await().atMost(seconds(20)).until(() -> !TaskhubNode.isAlive(executor1) && !TaskhubNode.isAlive(child1));
      long child2 = awaitPid(pids.resolve("child-2"));

      JsonObject task = api.awaitEnd(id, seconds(40));
      assertThat(task.getString("state")).isEqualTo("ERROR");
      assertThat(task.getInteger("attempts")).isEqualTo(2);
      assertThat(task.getJsonObject("error").getString("type")).isEqualTo("InactivityTimeout");
      assertThat(task.getJsonObject("error").getString("message")).contains("no output");
      await().atMost(seconds(10)).until(() -> !TaskhubNode.isAlive(child2));
      assertThat(api.get("/api/tasks/" + id + "/log").json().getString("log")).contains("killed");
    }
  }

  /** Waits until the executor has written a pid into the file (it may exist, still empty, for a moment). */
  private static long awaitPid(Path file) {
    return await().atMost(seconds(30)).until(() -> {
      try {
        return Long.parseLong(Files.readString(file).trim());
      } catch (Exception notYet) {
        return -1L;
      }
    }, pid -> pid > 0);
  }
}
