package dev.taskhub.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskContextTest {

  @TempDir
  Path tempDir;

  @Test
  void theTaskIsReadFromTheEnvironmentAndTheDataFile() throws IOException {
    Path dataFile = tempDir.resolve("data.json");
    Files.writeString(dataFile, "{\"text\":\"grüße\"}", UTF_8);
    Map<String, String> env = env();
    env.put("TASKHUB_ATTEMPT", "2");
    env.put("TASKHUB_DATA_FILE", dataFile.toString());
    env.put("TASKHUB_HUB_URL", "http://127.0.0.1:8080");

    TaskContext task = TaskContext.fromEnvironment(env, new String[] {"DATA:{\"ignored\":true}"});

    assertThat(task.taskId()).isEqualTo(42);
    assertThat(task.type()).isEqualTo("wordcount");
    assertThat(task.attempt()).isEqualTo(2);
    assertThat(task.data()).isEqualTo("{\"text\":\"grüße\"}");
    assertThat(task.hubUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(task.workDir()).isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void withoutADataFileTheDataArgumentGivesTheData() {
    TaskContext task = TaskContext.fromEnvironment(env(), new String[] {"REPO:x", "DATA:{\"top\": 5}"});
    assertThat(task.data()).isEqualTo("{\"top\": 5}");
    assertThat(task.attempt()).isEqualTo(1);
    assertThat(task.hubUrl()).isNull();
  }

  @Test
  void withNeitherTheDataIsAnEmptyObject() {
    assertThat(TaskContext.fromEnvironment(env(), new String[0]).data()).isEqualTo("{}");
    assertThat(TaskContext.fromEnvironment(env(), null).data()).isEqualTo("{}");
  }

  @Test
  void aMissingTaskIdIsAClearError() {
    Map<String, String> env = env();
    env.remove("TASKHUB_TASK_ID");
    assertThatThrownBy(() -> TaskContext.fromEnvironment(env, new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("TASKHUB_TASK_ID is not set");
  }

  @Test
  void aMissingTypeIsAClearError() {
    Map<String, String> env = env();
    env.put("TASKHUB_TASK_TYPE", " ");
    assertThatThrownBy(() -> TaskContext.fromEnvironment(env, new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("TASKHUB_TASK_TYPE is not set");
  }

  @Test
  void aMalformedNumberIsAClearError() {
    Map<String, String> env = env();
    env.put("TASKHUB_ATTEMPT", "first");
    assertThatThrownBy(() -> TaskContext.fromEnvironment(env, new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("TASKHUB_ATTEMPT=first is not a whole number");
  }

  @Test
  void anUnreadableDataFileIsAClearError() {
    Map<String, String> env = env();
    env.put("TASKHUB_DATA_FILE", tempDir.resolve("missing.json").toString());
    assertThatThrownBy(() -> TaskContext.fromEnvironment(env, new String[0]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.json cannot be read");
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("TASKHUB_TASK_ID", "42");
    env.put("TASKHUB_TASK_TYPE", "wordcount");
    return env;
  }
}
