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
import java.util.Collections;

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
      a batch task without a type  | {"tasks": [{"data": {}}]}   | 400 | tasks[0]: 'type' is required
      a batch of numbers           | {"tasks": [5]}              | 400 | tasks[0]: a task must be a JSON object
      a batch with a stray field   | {"tasks": [{"type": "noop"}], "wait": true} | 400 | unknown field 'wait': use tasks
      a dependency that is text    | {"type": "noop", "dependsOn": ["x"]} | 400 | 'dependsOn[0]' must be an integer, not 'x'
      a title that is not text     | {"type": "noop", "title": ["a"]} | 400 | 'title' must be a string
      a NUL in the title           | {"type": "noop", "title": "a\\u0000b"} | 400 | 'title' must not contain the NUL character (U+0000)
      a NUL in the tag             | {"type": "noop", "tag": "\\u0000"}     | 400 | 'tag' must not contain the NUL character
      a NUL in the key             | {"type": "noop", "key": "k\\u0000"}    | 400 | 'key' must not contain the NUL character
      a NUL in the app             | {"type": "noop", "app": "a\\u0000"}    | 400 | 'app' must not contain the NUL character
      a NUL in the type            | {"type": "noop\\u0000"}                | 400 | 'type' must not contain the NUL character
      a NUL in a batch task        | {"tasks": [{"type": "noop", "title": "\\u0000"}]} | 400 | tasks[0]: 'title' must not contain the NUL
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

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a path trick in the id       | GET    | /api/tasks/..%2F..%2Fetc%2Fpasswd | 400 | 'id' must be an integer
      an id with a slash           | GET    | /api/tasks/1%2F2                  | 400 | 'id' must be an integer
      an id that is a float        | GET    | /api/tasks/1.5                    | 400 | 'id'
      an id in exponent form       | GET    | /api/tasks/1e3                    | 400 | 'id'
      a huge id                    | GET    | /api/tasks/99999999999999999999   | 400 | at most 9223372036854775807
      a zero id                    | GET    | /api/tasks/0                      | 400 | at least 1
      a dot-dot path               | GET    | /api/tasks/../../etc/passwd       | 404 | no such endpoint
      a negative page size         | GET    | /api/tasks?limit=-5               | 400 | 'limit' must be at least 1, not '-5'
      a negative cursor            | GET    | /api/tasks?after=-1               | 400 | 'after' must be at least 1
      a huge cursor                | GET    | /api/tasks?after=1e30             | 400 | 'after'
      a repeated parameter         | GET    | /api/tasks?limit=1&limit=2        | 400 | more than once
      an invalid type filter       | GET    | /api/tasks?type=a/b               | 400 | invalid type 'a/b'
      a malformed query string     | RAW    | /api/tasks?tag=%zz                | 400 | malformed
      a log of an id that is text  | GET    | /api/tasks/abc/log                | 400 | 'id' must be an integer
      events of a negative id      | GET    | /api/tasks/-3/events              | 400 | at least 1
      an unknown task's log        | GET    | /api/tasks/987654321/log          | 404 | no task 987654321
      an unknown task's events     | GET    | /api/tasks/987654321/events       | 404 | no task 987654321
      deleting an unknown task     | DELETE | /api/tasks/987654321              | 404 | no task 987654321
      deleting with a text id      | DELETE | /api/tasks/abc                    | 400 | 'id' must be an integer
      a method the path lacks      | PUT    | /api/tasks/1                      | 405 | use DELETE, GET, PATCH
      """)
  void hostileReadsAndDeletesGetAClearJsonErrorAndChangeNothing(String what, String method, String path, int status, String message) {
    long before = storedTasks();
    Api.Response r = switch (method) {
      case "GET" -> api.get(path);
      case "RAW" -> api.raw("GET", path); // a target java.net.URI refuses to build
      case "DELETE" -> api.delete(path);
      default -> api.send(path, method, "{}");
    };

    assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(what).contains(message);
    assertThat(r.text()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("at io.");
    assertThat(storedTasks()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON               | {"action":                        | 400 | malformed JSON
      an empty object              | {}                                | 400 | give either 'priority' or 'action'
      both priority and action     | {"priority": "Normal", "action": "cancel"} | 400 | give either 'priority' or 'action'
      an unknown action            | {"action": "explode"}             | 400 | 'action' must be one of suspend, resume, cancel, retry, not 'explode'
      an unknown priority          | {"priority": "Urgent"}            | 400 | unknown priority 'Urgent'
      an action of the wrong type  | {"action": 1}                     | 400 | 'action' must be a string, not 1
      an unknown field             | {"state": "DONE"}                 | 400 | unknown field 'state': use action, priority
      an array                     | ["cancel"]                        | 400 | the request body must be a JSON object
      """)
  void aBadChangeIsRefusedAndChangesNothing(String what, String body, int status, String message) {
    long id = api.submit(new JsonObject().put("type", "noop")).getLong("id");

    Api.Response r = api.patch("/api/tasks/" + id, body);

    assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
    assertThat(r.json().getString("error")).as(what).contains(message);
    JsonObject task = api.task(id);
    assertThat(task.getString("state")).isEqualTo("READY");
    assertThat(task.getString("priority")).isEqualTo("Normal");
  }

  @Test
  void aBodyThatIsNotDeclaredJsonIsRefusedWith415() {
    Api.Response r = api.send("/api/tasks", "POST", "{\"type\": \"noop\"}", "text/plain");

    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().getString("error")).contains("Content-Type: application/json");
  }

  @Test
  void aBodyOverTheHttpLimitIsRefusedWith413() {
    String huge = "{\"type\": \"noop\", \"data\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}";

    Api.Response r = api.post("/api/tasks", huge);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.json().getString("error")).contains("larger than the limit");
  }

  @Test
  void aLargeBodyIsValidatedOffTheEventLoopLikeASmallOne() {
    // A thousand tasks are over ValidateRequest's 16 KiB: that body is checked on a worker thread.
    String tasks = String.join(", ", Collections.nCopies(1000, "{\"type\": \"noop\"}"));
    Api.Response accepted = api.post("/api/tasks", "{\"tasks\": [" + tasks + "]}");
    assertThat(accepted.status()).isEqualTo(201);
    assertThat(accepted.json().getJsonArray("tasks")).hasSize(1000);

    Api.Response malformed = api.post("/api/tasks", "{\"tasks\": [" + tasks);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().getString("error")).contains("malformed JSON");
  }

  @Test
  void aGoodTaskIsStillAccepted() {
    JsonObject task = api.submit(new JsonObject().put("type", "noop").put("priority", "important"));
    assertThat(task.getString("priority")).isEqualTo("Important");
    assertThat(task.getString("state")).isEqualTo("READY");
  }
}
