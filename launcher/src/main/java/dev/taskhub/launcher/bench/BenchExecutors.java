package dev.taskhub.launcher.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The executors the bench runs, each in its folder {@code <dir>/<type>/<type>} as a node finds them. */
final class BenchExecutors {
  /** {@code /bin/true} itself (a symlink): the cheapest real process, so the figures are the queue's. */
  static final String TRUE = "true";
  /** A shell whose first instruction appends {@code date +%s%N} to {@code <stamps>/<task id>}. */
  static final String STAMP = "stamp";
  /** Sleeps 2 s: long enough that 200 agents keep one hub busy, short enough for a run of ~20 s. */
  static final String SLEEP2 = "sleep2";

  private BenchExecutors() {
  }

  /** Writes {@link #TRUE} and {@link #STAMP} under {@code dir}; the stamps go to {@code stamps}. */
  static Path forOneNode(Path dir, Path stamps) throws IOException {
    Path trueExecutor = Files.createDirectories(dir.resolve(TRUE)).resolve(TRUE);
    Files.createSymbolicLink(trueExecutor, Path.of("/bin/true"));
    stamp(dir, stamps);
    return dir;
  }

  /** Writes {@link #SLEEP2} and {@link #STAMP} under {@code dir}, for the agent JVMs of the dispatch run. */
  static Path forDispatch(Path dir, Path stamps) throws IOException {
    script(dir, SLEEP2, "exec sleep 2");
    stamp(dir, stamps);
    return dir;
  }

  private static void stamp(Path dir, Path stamps) throws IOException {
    Files.createDirectories(stamps);
    script(dir, STAMP, "date +%s%N >> '" + stamps.toAbsolutePath() + "/'\"$TASKHUB_TASK_ID\"");
  }

  /** The command a node runs for {@link #TRUE}: the process-start ceiling starts the same one. */
  static List<String> trueCommand(Path dir) {
    return List.of(dir.resolve(TRUE).resolve(TRUE).toAbsolutePath().toString());
  }

  private static void script(Path dir, String type, String body) throws IOException {
    Path file = Files.createDirectories(dir.resolve(type)).resolve(type);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
