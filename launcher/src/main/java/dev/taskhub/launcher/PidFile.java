package dev.taskhub.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file {@code taskhub node --pid-file} writes and {@code taskhub stop --pid-file} reads: the node's process id on
 * one line. A node removes it when it stops; one killed with kill -9 leaves it behind, so a reader checks that the
 * process still runs and is a Taskhub JVM before signalling it (process ids are reused).
 */
final class PidFile {
  private PidFile() {
  }

  static void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, ProcessHandle.current().pid() + "\n");
  }

  /** The process the file names, if it still runs a Taskhub JVM. */
  static Optional<ProcessHandle> process(Path file) throws IOException {
    long pid;
    try {
      pid = Long.parseLong(Files.readString(file).trim());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no pid file " + file + ": is the node running, started with --pid-file " + file + "?");
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(file + " does not hold a process id");
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(PidFile::isTaskhub);
  }

  /**
   * Whether the process may be the node: a JVM, or a command line that names Taskhub (a renamed jar still runs on
   * java). When the system hides what the process runs, it is taken at its word.
   */
  private static boolean isTaskhub(ProcessHandle process) {
    ProcessHandle.Info info = process.info();
    if (info.command().isEmpty() && info.commandLine().isEmpty()) {
      return true;
    }
    return info.command().map(command -> Path.of(command).getFileName().toString().startsWith("java")).orElse(false)
        || info.commandLine().map(line -> line.contains("taskhub")).orElse(false);
  }

  /** Removes the file if it still names this process (a node started later with the same file may have replaced it). */
  static void removeIfOurs(Path file) {
    try {
      if (Files.readString(file).trim().equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.delete(file);
      }
    } catch (IOException e) {
      // gone already, or unreadable: nothing of ours to remove
    }
  }
}
