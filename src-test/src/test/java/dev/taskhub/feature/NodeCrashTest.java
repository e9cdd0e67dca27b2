package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
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

/** The default set-up — embedded PostgreSQL under data.dir — survives a kill -9 of its node. */
@Timeout(180)
class NodeCrashTest {
  @TempDir
  Path dir;

  @Test
  void tasksRegisteredBeforeAKill9AllRunAfterTheNodeStartsAgain() throws Exception {
    Path runs = dir.resolve("runs.txt");
    Path pids = Files.createDirectories(dir.resolve("pids"));
    Executors executors = new Executors(dir.resolve("executors")).script("work", """
        echo $$ > '%s/'$TASKHUB_TASK_ID-$TASKHUB_ATTEMPT
        echo "Progress: 10%%"
        sleep 1
        echo "$TASKHUB_TASK_ID" >> '%s'
        """.formatted(pids, runs));
    TaskhubNode node = TaskhubNode.named("node-crash", dir).executors(executors.dir())
        .set("agent.count", 2).set("agent.leasePeriodSeconds", 1);
    Set<Long> ids = new HashSet<>();
    try {
      Api api = node.start().api();
      JsonArray tasks = new JsonArray();
      for (int i = 0; i < 12; i++) {
        tasks.add(new JsonObject().put("type", "work"));
      }
      api.post("/api/tasks", new JsonObject().put("tasks", tasks).encode()).json().getJsonArray("tasks")
          .forEach(t -> ids.add(((JsonObject) t).getLong("id")));
      await().atMost(seconds(20)).until(() -> api.stats().getJsonObject("byState").getLong("RUNNING") > 0);
      Path work = dir.resolve("taskhub-data").resolve("work");
      List<String> before;
      try (var folders = Files.list(work)) {
        before = folders.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("agent-")).toList();
      }
      assertThat(before).as("the agents' working folders while they ran").isNotEmpty();

      node.kill9();
      // The executors of the dead node died with it: none keeps running beside the re-run.
      await().atMost(seconds(10)).until(() -> {
        try (var files = Files.list(pids)) {
          return files.map(f -> pid(f)).noneMatch(TaskhubNode::isAlive);
        }
      });

      Api again = node.start().api();
      await().atMost(seconds(90)).pollInterval(java.time.Duration.ofMillis(500))
          .until(() -> again.stats().getJsonObject("byState").getLong("DONE") == ids.size());
      List<Long> ran = Files.readAllLines(runs).stream().map(String::trim).map(Long::parseLong).toList();
      assertThat(new HashSet<>(ran)).isEqualTo(ids);
      // The working folders of the agents the kill interrupted (and what their executors wrote) were swept when the
      // node came back; the new agents' folders are empty between tasks, but for the emptied data file kept for the next.
      try (var left = Files.list(work)) {
        List<Path> now = left.filter(p -> !p.getFileName().toString().equals(".taskhub-lock")).toList();
        assertThat(now).extracting(p -> p.getFileName().toString()).doesNotContainAnyElementsOf(before)
            .allMatch(n -> n.startsWith("agent-"));
        for (Path folder : now) {
          try (var inside = Files.list(folder)) {
            assertThat(inside).as("%s between tasks", folder)
                .allMatch(p -> p.getFileName().toString().equals("task-data.json") && p.toFile().length() == 0);
          }
        }
      }
    } finally {
      node.close();
    }
  }

  private static long pid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (Exception e) {
      return -1;
    }
  }
}
