package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** retention.finished on a real node: finished tasks go once they are older than it, live ones stay. */
@Timeout(120)
class RetentionTest {
  @TempDir
  Path dir;

  @Test
  void finishedTasksOlderThanTheRetentionArePurgedAndLiveOnesStay() throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("quick", "echo 'a line of log'; echo 'ResultData: ok'")
        .script("sleeps", "while true; do echo 'Progress: still here'; sleep 1; done");
    try (TaskhubNode node = TaskhubNode.named("retention", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 2).set("retention.finished", "PT2S").start()) {
      Api api = node.api();
      long done = api.submit(new JsonObject().put("type", "quick")).getLong("id");
      long running = api.submit(new JsonObject().put("type", "sleeps")).getLong("id");
      long waiting = api.submit(new JsonObject().put("type", "nobody-runs-this")).getLong("id");
      assertThat(api.awaitEnd(done, seconds(30)).getString("state")).isEqualTo("DONE");

      // The first pass comes 5 s after the node started, then every 30 s.
      await().atMost(seconds(45)).until(() -> api.get("/api/tasks/" + done).status() == 404);

      assertThat(api.get("/api/tasks/" + done + "/log").status()).isEqualTo(404);
      assertThat(api.task(running).getString("state")).isEqualTo("RUNNING");
      assertThat(api.task(waiting).getString("state")).isEqualTo("READY");
      assertThat(node.logText()).contains("retention: purged 1 tasks that finished before");
      api.act(running, "cancel");
    }
  }
}
