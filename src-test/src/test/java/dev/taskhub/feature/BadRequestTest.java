package dev.taskhub.feature;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear 4xx JSON error, no stack trace, and stores nothing. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRequestTest {
  TaskhubNode node;
  Api api;

  @BeforeAll
  void startNode(@TempDir Path dir) throws Exception {
    node = TaskhubNode.named("bad-requests", dir).database(TestDatabase.createDatabase())
        .executors(new Executors(dir.resolve("executors")).dir()).set("agent.count", 0)
        .set("task.maxDataBytes", 200).start();
    api = node.api();
  }

  @AfterAll
  void stopNode() throws Exception {
    node.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON               | {"type": "noop",            | 400 | malformed JSON
      not an object                | [1, 2]                      | 400 | JSON object
      empty body                   |                             | 400 | empty
      no type                      | {"data": {}}                | 400 | 'type' is required
      a path as type               | {"type": "../x"}            | 400 | invalid type
      a type with a slash          | {"type": "a/b"}             | 400 | invalid type
      a type too long              | {"type": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} | 400 | 'type'
      a type of the wrong kind     | {"type": 42}                | 400 | 'type' must be a string
      an unknown priority          | {"type": "noop", "priority": "Urgent"} | 400 | unknown priority 'Urgent'
      an unknown field             | {"type": "noop", "priorty": "Normal"}  | 400 | unknown field 'priorty'
      negative attempts            | {"type": "noop", "maxAttempts": -1}    | 400 | 'maxAttempts'
      a bad runAt                  | {"type": "noop", "runAt": "tomorrow"}  | 400 | 'runAt'
      an unknown dependency        | {"type": "noop", "dependsOn": [123456]} | 400 | unknown tasks
      data over the limit          | {"type": "noop", "data": {"text": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}} | 413 | larger than the limit
      a batch with one bad task    | {"tasks": [{"type": "noop"}, {"type": "../x"}]} | 400 | tasks[1]
      an empty batch               | {"tasks": []}               | 400 | batch
      """)
  void aBadRegistrationIsRefusedWithAClearErrorAndStoresNothing(String what, String body, int status, String message) {
    long before = storedTasks();
    Api.Response r = api.post("/api/tasks", body == null ? "" : body);

    assertThat(r.status()).as(what).isEqualTo(status);
    JsonObject error = r.json();
    assertThat(error.getString("error")).as(what).contains(message);
    assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("at io.");
    assertThat(storedTasks()).as("tasks stored after: " + what).isEqualTo(before);
  }

  private long storedTasks() {
    return api.stats().getJsonObject("byState").stream().mapToLong(e -> ((Number) e.getValue()).longValue()).sum();
  }

  @ParameterizedTest(name = "GET {0} → {1}")
  @CsvSource({
      "/api/tasks/abc, 400",
      "/api/tasks/-1, 400",
      "/api/tasks/99999, 404",
      "/api/tasks?limit=0, 400",
      "/api/tasks?limit=100000, 400",
      "/api/tasks?limit=abc, 400",
      "/api/tasks?state=SLEEPING, 400",
      "/api/tasks?sort=id, 400",
      "/api/nothing-here, 404",
  })
  void badReadsGetAClearJsonError(String path, int status) {
    Api.Response r = api.get(path);

    assertThat(r.status()).isEqualTo(status);
    assertThat(r.json().getString("error")).isNotBlank();
  }

  @Test
  void aGoodTaskIsStillAccepted() {
    JsonObject task = api.submit(new JsonObject().put("type", "noop").put("priority", "important"));
    assertThat(task.getString("priority")).isEqualTo("Important");
    assertThat(task.getString("state")).isEqualTo("READY");
  }
}
