package dev.taskhub.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSpecTest {

  private static TaskSpec parse(String json) {
    return TaskSpec.fromJson(new JsonObject(json), 100);
  }

  @Test
  void aMinimalTaskGetsTheDocumentedDefaultsAndLeavesTheOthersToItsType() {
    TaskSpec spec = parse("{\"type\":\"resize-image\"}");

    assertThat(spec.priority()).as("the type's default, else Normal: filled in by the database").isNull();
    assertThat(spec.data()).isEqualTo("{}");
    assertThat(spec.maxAttempts()).as("the type's default, else 1: filled in by the database").isNull();
    assertThat(spec.timeoutSeconds()).isNull();
    assertThat(TaskSpec.DEFAULT_PRIORITY).isEqualTo(Priority.Normal);
    assertThat(TaskSpec.DEFAULT_MAX_ATTEMPTS).isEqualTo(1);
    assertThat(spec.runIf()).isEqualTo(TaskSpec.RunIf.success);
    assertThat(spec.dependsOn()).isEmpty();
  }

  @Test
  void dataIsKeptAsTheCallerWroteIt() {
    TaskSpec spec = parse("{\"type\":\"t\",\"data\":{\"b\":1,\"a\":[true,null,\"ü\"]}}");

    assertThat(spec.data()).isEqualTo("{\"b\":1,\"a\":[true,null,\"ü\"]}");
  }

  @Test
  void typeNamesThatCouldEscapeTheExecutorsFolderAreRefused() {
    for (String type : new String[] {"..", "../x", "a/b", ".hidden", "-rf", "a b", "", "ä"}) {
      assertThatThrownBy(() -> TaskSpec.fromJson(new JsonObject().put("type", type), 100))
          .as(type).isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST));
    }
    assertThat(TaskSpec.TYPE.matcher("report.v2_final-1").matches()).isTrue();
  }

  @Test
  void dataOverTheLimitIsTooLarge() {
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"data\":\"" + "x".repeat(200) + "\"}"))
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TOO_LARGE));
  }

  @Test
  void aDelayBecomesARunAtInTheFuture() {
    TaskSpec spec = parse("{\"type\":\"t\",\"delaySeconds\":60}");

    assertThat(spec.runAt()).isAfter(java.time.Instant.now().plusSeconds(50));
  }

  @Test
  void wrongKindsOfValuesNameTheField() {
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"maxAttempts\":\"3\"}")).hasMessage("'maxAttempts' must be an integer, not '3'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"maxAttempts\":1.5}")).hasMessage("'maxAttempts' must be an integer, not 1.5");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"dependsOn\":[\"1\"]}")).hasMessage("'dependsOn[0]' must be an integer, not '1'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"dependsOn\":[5, 0]}")).hasMessage("'dependsOn[1]' must be at least 1, not 0");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"runIf\":\"sometimes\"}")).hasMessage("'runIf' must be one of success, always, not 'sometimes'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"finalizeUrl\":\"file:///etc/passwd\"}")).hasMessageContaining("'finalizeUrl'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"runAt\":\"2026-01-01T00:00:00Z\",\"delaySeconds\":5}")).hasMessageContaining("not both");
    assertThatThrownBy(() -> parse("{\"type\":42}")).hasMessage("'type' must be a string, not 42");
    assertThatThrownBy(() -> parse("{\"type\":\"../x\"}")).hasMessage("invalid type '../x': it must match " + TaskSpec.TYPE.pattern());
  }

  @Test
  void valuesOutOfRangeSayTheLimit() {
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"maxAttempts\":-1}")).hasMessage("'maxAttempts' must be at least 1, not -1");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"timeoutSeconds\":1e30}")).hasMessageStartingWith("'timeoutSeconds' must be at most 604800, not ");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"dependsOn\":[99999999999999999999]}")).hasMessageStartingWith("'dependsOn[0]' must be at most 9223372036854775807");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"title\":\"" + "x".repeat(201) + "\"}")).hasMessage("'title' is longer than 200 characters");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"priorty\":\"Normal\"}")).hasMessageStartingWith("unknown field 'priorty': use app, data, delaySeconds");
  }

  @Test
  void aNulCharacterInAnyTextFieldIsRefusedNamingTheField() {
    for (String field : new String[] {"type", "title", "tag", "key", "app", "finalizeUrl", "priority", "runAt"}) {
      JsonObject spec = new JsonObject().put("type", "t").put(field, "a\0b");
      assertThatThrownBy(() -> TaskSpec.fromJson(spec, 100)).as(field)
          .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST))
          .hasMessage("'" + field + "' must not contain the NUL character (U+0000)");
    }
  }

  @Test
  void aNulInsideTheDataIsKeptAsTheCallerWroteIt() {
    // The task's data is PostgreSQL json, which stores the escape as written (jsonb would refuse it).
    assertThat(parse("{\"type\":\"t\",\"data\":{\"s\":\"a\\u0000b\"}}").data()).isEqualTo("{\"s\":\"a\\u0000b\"}");
  }

  @Test
  void aFieldGivenAsNullIsAbsent() {
    TaskSpec spec = parse("{\"type\":\"t\",\"title\":null,\"maxAttempts\":null,\"dependsOn\":null}");

    assertThat(spec.title()).isNull();
    assertThat(spec.maxAttempts()).isNull();
    assertThat(spec.dependsOn()).isEmpty();
  }

  @Test
  void aBatchNamesTheTaskItRefuses() {
    assertThatThrownBy(() -> TaskSpec.listFromJson(new JsonObject("{\"tasks\":[{\"type\":\"t\"},{\"type\":\"../x\"}]}"), 100, 10))
        .hasMessageStartingWith("tasks[1]: invalid type '../x'");
    assertThatThrownBy(() -> TaskSpec.listFromJson(new JsonObject("{\"tasks\":[5]}"), 100, 10))
        .hasMessage("tasks[0]: a task must be a JSON object");
    assertThatThrownBy(() -> TaskSpec.listFromJson(new JsonObject("{\"tasks\":[],\"wait\":true}"), 100, 10))
        .hasMessage("unknown field 'wait': use tasks");
    assertThatThrownBy(() -> TaskSpec.listFromJson(new JsonObject("{\"tasks\":[]}"), 100, 10))
        .hasMessage("a batch holds from 1 to 10 tasks");
  }
}
