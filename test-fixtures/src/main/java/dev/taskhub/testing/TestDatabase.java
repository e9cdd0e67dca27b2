package dev.taskhub.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL for the whole test JVM, and a fresh database in it for each test: real SQL, no shared
 * state between tests, and about a tenth of a second per test instead of a new server. As a JUnit extension
 * ({@code @ExtendWith(TestDatabase.class)}) it hands each test method or {@code @BeforeEach} that asks for a
 * {@link Fresh} parameter a new database; {@link #createDatabase()} does the same for code that builds its own.
 * <p>
 * This is a test server, deliberately not durable and open: zonky's defaults (fsync off, synchronous_commit off,
 * trust authentication, binaries in java.io.tmpdir) keep a test fast. Nothing in production uses it — this module is
 * a test dependency only; a node's embedded database is {@code dev.taskhub.launcher.EmbeddedDatabase}, which is
 * durable and password-protected.
 */
public final class TestDatabase implements ParameterResolver {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  /** A database made for one test: its {@code postgresql://} URL, for {@code db.url}. */
  public record Fresh(String url) {
    /** Runs one SQL statement in it (for checks or faults a user could not cause through the API). */
    public void execute(String sql) throws Exception {
      TestDatabase.execute(url, sql);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == Fresh.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    try {
      return new Fresh(createDatabase());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
    }
  }

  private static synchronized EmbeddedPostgres server() throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (Exception e) {
          // the JVM is going away
        }
      }));
    }
    return postgres;
  }

  /** Creates an empty database and returns its {@code postgresql://} URL for {@code db.url}. */
  public static String createDatabase() throws Exception {
    EmbeddedPostgres pg = server();
    String name = "taskhub_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return "postgresql://postgres@localhost:" + pg.getPort() + "/" + name;
  }

  /** Runs one SQL statement against a database created here. */
  public static void execute(String url, String sql) throws Exception {
    EmbeddedPostgres pg = server();
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = pg.getDatabase("postgres", name).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A JDBC connection to a database created here, for a test that samples it while nodes work (close it). */
  public static Connection connect(String url) throws Exception {
    String name = url.substring(url.lastIndexOf('/') + 1);
    return server().getDatabase("postgres", name).getConnection();
  }
}
