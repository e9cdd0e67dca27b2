package dev.taskhub.testing;

import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A finalizer for tests, run inside node JVMs started {@link TaskhubNode#withTestFinalizer with the test classes}:
 * it appends "id state" for every finished task to the file named by {@value #FILE_ENV}. Several hubs append to
 * one file; each line is one small O_APPEND write.
 */
public final class RecordingFinalizer implements Finalizer {
  public static final String FILE_ENV = "TEST_FINALIZATIONS_FILE";

  @Override
  public Set<String> types() {
    return Set.of("*");
  }

  @Override
  public void onFinished(Task task) throws Exception {
    String file = System.getenv(FILE_ENV);
    if (file != null) {
      Files.writeString(Path.of(file), task.id() + " " + task.state() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
