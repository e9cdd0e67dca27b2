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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Timeout(120)
class PriorityOrderTest {
  @TempDir
  Path dir;

  @Test
  void tasksQueuedBehindABusySingleAgentStartInPriorityOrderFifoWithinAPriority() throws Exception {
    Path gate = dir.resolve("gate");
    Path order = dir.resolve("order.txt");
    Executors executors = new Executors(dir.resolve("executors"))
        .script("blocker", "while [ ! -f '" + gate + "' ]; do echo waiting; sleep 0.1; done")
        .script("record", "echo \"$TASKHUB_TASK_ID\" >> '" + order + "'");
    try (TaskhubNode node = TaskhubNode.named("priority-order", dir).database(TestDatabase.createDatabase())
        .executors(executors.dir()).set("agent.count", 1).start()) {
      Api api = node.api();
      long blocker = api.submit(new JsonObject().put("type", "blocker")).getLong("id");
      await().atMost(seconds(20)).until(() -> api.task(blocker).getString("state").equals("RUNNING"));

      List<Map.Entry<String, String>> queued = List.of(
          Map.entry("n1", "Normal"), Map.entry("u1", "Unimportant"), Map.entry("i1", "Important"),
          Map.entry("m1", "Immediately"), Map.entry("n2", "Normal"), Map.entry("i2", "Important"),
          Map.entry("u2", "Unimportant"), Map.entry("m2", "Immediately"), Map.entry("n3", "Normal"));
      List<Long> ids = new ArrayList<>();
      java.util.Map<Long, String> names = new java.util.HashMap<>();
      for (var q : queued) {
        long id = api.submit(new JsonObject().put("type", "record").put("priority", q.getValue()).put("title", q.getKey())).getLong("id");
        ids.add(id);
        names.put(id, q.getKey());
      }
      assertThat(api.task(ids.get(0)).getString("state")).isEqualTo("READY");

      Files.createFile(gate);
      await().atMost(seconds(60)).until(() -> ids.stream().allMatch(id -> api.task(id).getString("state").equals("DONE")));

      List<String> ran = Files.readAllLines(order).stream().map(line -> names.get(Long.parseLong(line.trim()))).toList();
      assertThat(ran).containsExactly("m1", "m2", "i1", "i2", "n1", "n2", "n3", "u1", "u2");
    }
  }
}
