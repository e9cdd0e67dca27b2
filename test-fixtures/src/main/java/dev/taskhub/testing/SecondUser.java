package dev.taskhub.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second user on the test machine, for executors that run as someone else than the node: {@code taskhub-exec-test},
 * created with {@code useradd --system} when missing. Only root can create it or switch to it, so a test that needs it
 * is skipped elsewhere, saying why (CI runs as root).
 */
public record SecondUser(String name, int uid, int gid) {
  public static final String NAME = "taskhub-exec-test";

  /** The user, created if needed; skips the calling test when this JVM is not root. */
  public static SecondUser ensure() throws IOException, InterruptedException {
    assumeTrue(isRoot(), "running an executor as another user needs root (or CAP_SETUID/CAP_SETGID/CAP_CHOWN); "
        + "this test JVM runs as " + System.getProperty("user.name"));
    String entry = run("getent", "passwd", NAME);
    if (entry.isEmpty()) {
      run("useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
          "--user-group", NAME);
      entry = run("getent", "passwd", NAME);
    }
    String[] fields = entry.split(":");
    if (fields.length < 4) {
      throw new IllegalStateException("useradd did not create " + NAME + ": getent says '" + entry + "'");
    }
    return new SecondUser(NAME, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
  }

  public static boolean isRoot() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return line.split("\\s+")[2].equals("0");
      }
    }
    return false;
  }

  /** Lets others pass through (not list) a folder and its parents up to {@code top}, as the README tells operators. */
  public static void passable(Path dir, Path top) throws IOException {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx--x--x"));
      if (p.equals(top.toAbsolutePath())) {
        break;
      }
    }
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return p.exitValue() == 0 ? out : command[0].equals("getent") ? "" : fail(command, out);
  }

  private static String fail(String[] command, String out) {
    throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
  }
}
