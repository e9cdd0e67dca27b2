package dev.taskhub.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes real executors (shell scripts) into a temporary executors.dir. */
public final class Executors {
  private final Path dir;

  public Executors(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Creates {@code <dir>/<type>/<type>} holding {@code #!/bin/sh} and the given body. */
  public Executors script(String type, String body) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(type));
    Path file = folder.resolve(type);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return this;
  }

  /** Writes {@code <dir>/<type>/executor.properties} (user=, limits.*, arguments=) for an executor made before. */
  public Executors properties(String type, String properties) throws IOException {
    Files.writeString(dir.resolve(type).resolve("executor.properties"), properties);
    return this;
  }
}
