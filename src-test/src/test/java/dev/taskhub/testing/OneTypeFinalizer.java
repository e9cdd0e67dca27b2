package dev.taskhub.testing;

import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * A finalizer for tests that names ONE task type, {@value #TYPE}: it appends "id type" for each finished task it is
 * given to the file named by {@value #FILE_ENV}, so a test can see that the hub hands it no other type.
 */
public final class OneTypeFinalizer implements Finalizer {
  public static final String FILE_ENV = "TEST_ONE_TYPE_FINALIZATIONS_FILE";
  public static final String TYPE = "finalized-type";

  @Override
  public Set<String> types() {
    return Set.of(TYPE);
  }

  @Override
  public void onFinished(Task task) throws Exception {
    String file = System.getenv(FILE_ENV);
    if (file != null) {
      Files.writeString(Path.of(file), task.id() + " " + task.type() + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
