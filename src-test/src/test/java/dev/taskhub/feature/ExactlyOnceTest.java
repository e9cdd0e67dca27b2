package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(180)
class ExactlyOnceTest {
  @TempDir
  Path dir;

  @Test
  void threeHundredTasksOnEightAgentsEachRunExactlyOnceAndNoneIsLost() throws Exception {
    Path runs = dir.resolve("runs.txt");
    Executors executors = new Executors(dir.resolve("executors"))
        .script("record", "echo \"$TASKHUB_TASK_ID\" >> '" + runs + "'");
    try (TaskhubNode node = TaskhubNode.named("exactly-once", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 8).start()) {
      Api api = node.api();
      Set<Long> registered = new HashSet<>();
      for (int batch = 0; batch < 3; batch++) {
        JsonArray tasks = new JsonArray();
        for (int i = 0; i < 100; i++) {
          tasks.add(new JsonObject().put("type", "record").put("data", new JsonObject().put("n", batch * 100 + i)));
        }
        Api.Response r = api.post("/api/tasks", new JsonObject().put("tasks", tasks).encode());
        assertThat(r.status()).isEqualTo(201);
        r.json().getJsonArray("tasks").forEach(t -> registered.add(((JsonObject) t).getLong("id")));
      }
      assertThat(registered).hasSize(300);

      await().atMost(seconds(150)).pollInterval(java.time.Duration.ofMillis(500))
          .until(() -> api.stats().getJsonObject("byState").getLong("DONE") == 300);

      List<Long> ran = Files.readAllLines(runs).stream().map(String::trim).map(Long::parseLong).toList();
      assertThat(ran).hasSize(300).doesNotHaveDuplicates();
      assertThat(new HashSet<>(ran)).isEqualTo(registered);
      JsonObject byState = api.stats().getJsonObject("byState");
      assertThat(byState.getLong("READY") + byState.getLong("RUNNING") + byState.getLong("ERROR")).isZero();
      // Work was spread over the agents, not run by one.
      JsonArray page = api.get("/api/tasks?limit=300").json().getJsonArray("tasks");
      Set<String> agents = new HashSet<>();
      page.forEach(t -> agents.add(((JsonObject) t).getString("agent")));
      assertThat(agents.size()).isGreaterThan(1);
      page.forEach(t -> assertThat(((JsonObject) t).getInteger("attempts")).isEqualTo(1));
    }
  }
}
