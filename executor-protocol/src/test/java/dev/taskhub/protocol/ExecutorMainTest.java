package dev.taskhub.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorMainTest {

  private static final Map<String, String> ENV = Map.of("TASKHUB_TASK_ID", "7", "TASKHUB_TASK_TYPE", "demo");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final ProtocolWriter out = new ProtocolWriter(new PrintStream(bytes, true, UTF_8));

  @Test
  void aSuccessfulExecutorExitsWithZero() {
    int exitCode = ExecutorMain.run(ENV, new String[] {"DATA:{\"n\":1}"},
        (task, writer) -> writer.resultData(task.taskId() + " " + task.data()), out);
    assertThat(exitCode).isZero();
    assertThat(bytes.toString(UTF_8)).isEqualTo("ResultData: 7 {\"n\":1}\n");
  }

  @Test
  void aThrowingExecutorWritesAnErrorLineAndExitsWithOne() {
    int exitCode = ExecutorMain.run(ENV, new String[0], (task, writer) -> {
      throw new java.io.IOException("disk full");
    }, out);
    assertThat(exitCode).isEqualTo(1);
    assertThat(bytes.toString(UTF_8)).startsWith("ERROR: {\"type\":\"java.io.IOException\",\"message\":\"disk full\"");
  }

  @Test
  void aMissingEnvironmentIsReportedAsAnErrorLine() {
    int exitCode = ExecutorMain.run(Map.of(), new String[0], (task, writer) -> { }, out);
    assertThat(exitCode).isEqualTo(1);
    assertThat(bytes.toString(UTF_8))
        .startsWith("ERROR: {\"type\":\"java.lang.IllegalStateException\",\"message\":\"TASKHUB_TASK_ID is not set");
  }
}
