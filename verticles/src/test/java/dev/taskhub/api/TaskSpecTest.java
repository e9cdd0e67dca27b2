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
  void aMinimalTaskGetsTheDocumentedDefaults() {
    TaskSpec spec = parse("{\"type\":\"resize-image\"}");

    assertThat(spec.priority()).isEqualTo(Priority.Normal);
    assertThat(spec.data()).isEqualTo("{}");
    assertThat(spec.maxAttempts()).isEqualTo(1);
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
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"maxAttempts\":\"3\"}")).hasMessageContaining("'maxAttempts' must be an integer");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"maxAttempts\":1.5}")).hasMessageContaining("'maxAttempts' must be an integer");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"dependsOn\":[\"1\"]}")).hasMessageContaining("'dependsOn'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"runIf\":\"sometimes\"}")).hasMessageContaining("'runIf'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"finalizeUrl\":\"file:///etc/passwd\"}")).hasMessageContaining("'finalizeUrl'");
    assertThatThrownBy(() -> parse("{\"type\":\"t\",\"runAt\":\"2026-01-01T00:00:00Z\",\"delaySeconds\":5}")).hasMessageContaining("not both");
  }
}
