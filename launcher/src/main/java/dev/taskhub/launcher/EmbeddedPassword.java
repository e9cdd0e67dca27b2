package dev.taskhub.launcher;

import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who may log in to the embedded PostgreSQL: its superuser {@code postgres}, with a generated password checked by
 * SCRAM-SHA-256, over loopback TCP, and nobody else. The password lives in {@code <pgdata>/taskhub.password}
 * (mode 0600) and is reused by every later start of that data directory.
 * <p>
 * zonky's initdb trusts every local connection. The password is set in single-user mode, which listens on nothing,
 * before the server starts, so there is no moment in which a trusting server listens: for a data directory initdb
 * just made, and for one an older Taskhub made (trust, no password file), which is upgraded the same way. Loopback
 * TCP rather than a Unix socket in the data directory: zonky's readiness check and the Vert.x client (without a
 * native transport) speak TCP only; the password is what keeps other local users out.
 */
final class EmbeddedPassword {
  static final String FILE = "taskhub.password";
  private static final String HBA = """
      # Written by Taskhub at every start of the embedded PostgreSQL: the superuser with its password (SCRAM-SHA-256,
      # kept in taskhub.password, mode 0600) over loopback TCP, and nothing else. There is no Unix socket
      # (unix_socket_directories is empty), so no "local" line. Edits are overwritten.
      host  all  postgres  127.0.0.1/32  scram-sha-256
      host  all  postgres  ::1/128       scram-sha-256
      """;

  private final Path pgData;
  private final Path file;
  private final String password;
  private final boolean stored;

  EmbeddedPassword(Path pgData) throws IOException {
    this.pgData = pgData;
    this.file = pgData.resolve(FILE);
    this.stored = Files.isRegularFile(file);
    this.password = stored ? Files.readString(file, StandardCharsets.UTF_8).strip() : generate();
    if (password.isEmpty() || !password.matches("[0-9a-f]+")) {
      throw new IOException(file + " does not hold a password Taskhub wrote: remove it to have a new one set");
    }
  }

  String password() {
    return password;
  }

  Path file() {
    return file;
  }

  /**
   * Makes the data directory admit only the password: sets it (in single-user mode, with {@code postgres}) when this
   * directory has none yet, then writes {@code pg_hba.conf}. Idempotent; runs before every start of the server.
   */
  void secure(Path postgres) throws IOException {
    if (!stored) {
      setPassword(postgres);
      Path fresh = Files.createTempFile(pgData, FILE, ".new", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(fresh, password + "\n", StandardCharsets.UTF_8);
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE); // a crash before this line: the next start sets a new one
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(pgData.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
  }

  /** {@code ALTER ROLE} in single-user mode: the statement goes to a backend on a pipe, not to a listening server. */
  private void setPassword(Path postgres) throws IOException {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U")); // as root, as zonky runs it: PostgreSQL refuses to run as root
    }
    command.addAll(List.of(postgres.toString(), "--single", "-D", pgData.toString(),
        "-c", "password_encryption=scram-sha-256", "postgres"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(("ALTER ROLE postgres PASSWORD '" + password + "'\n").getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("PostgreSQL in single-user mode did not finish within 60 s on " + pgData);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while setting the password of " + pgData, e);
    }
    // Single-user mode exits 0 even when the statement failed: its ERROR line says so. The output echoes the
    // statement (the password) only after an ERROR line, so only those lines are quoted.
    List<String> errors = output.lines().filter(l -> l.contains("ERROR:") || l.contains("FATAL:")).toList();
    if (process.exitValue() != 0 || !errors.isEmpty()) {
      throw new IOException("cannot set the password of the embedded PostgreSQL in " + pgData + " (exit code "
          + process.exitValue() + "): " + String.join(" ", errors));
    }
  }

  private static String generate() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes); // hex: safe in a URL and in an SQL literal
  }
}
