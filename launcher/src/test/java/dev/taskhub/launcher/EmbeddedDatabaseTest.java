package dev.taskhub.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL a node starts when it has no db.url, against the real server: durable, reachable only with
 * its password, the same password after a restart, and an older Taskhub's trusting data directory upgraded in place.
 */
@Timeout(180)
class EmbeddedDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void theEmbeddedDatabaseIsDurableAndRefusesAConnectionWithoutItsPassword() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      try (Connection c = connect(db, password(db)); Statement s = c.createStatement()) {
        assertThat(show(s, "fsync")).isEqualTo("on");
        assertThat(show(s, "synchronous_commit")).isEqualTo("on");
        assertThat(show(s, "full_page_writes")).isEqualTo("on");
        assertThat(show(s, "unix_socket_directories")).isEmpty();
      }
      assertThatThrownBy(() -> connect(db, null)).isInstanceOf(SQLException.class)
          .hasMessageContaining("password");
      assertThatThrownBy(() -> connect(db, "wrong")).isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");

      Path passwordFile = dir.resolve("postgres").resolve(EmbeddedPassword.FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
      assertThat(Files.readString(passwordFile).strip()).isEqualTo(password(db)).hasSizeGreaterThanOrEqualTo(32);
      assertThat(Files.readString(dir.resolve("postgres").resolve("pg_hba.conf"))).doesNotContain(" trust")
          .contains("scram-sha-256");
      // The binaries are ours alone, not in a shared temporary directory another user could have created first.
      Path binaries = dir.resolve("postgres-binaries");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries))).isEqualTo("rwx------");
      assertThat(Files.list(binaries.resolve("unpacked")).filter(p -> p.getFileName().toString().startsWith("PG-"))).hasSize(1);
    }
  }

  @Test
  void aRestartOnTheSameDataDirectoryKeepsItsPasswordAndItsData() throws Exception {
    String firstUrl;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      firstUrl = db.url();
      try (Connection c = connect(db, password(db)); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('acknowledged')");
      }
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      assertThat(password(db)).isEqualTo(URI.create(firstUrl).getUserInfo().split(":")[1]);
      try (Connection c = connect(db, password(db)); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT v FROM kept")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getString(1)).isEqualTo("acknowledged");
      }
      assertThatThrownBy(() -> connect(db, null)).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void aDataDirectoryOfAnOlderTaskhubThatTrustedEveryoneIsUpgradedInPlace() throws Exception {
    // What Taskhub did before: zonky's defaults, trust authentication, no password file.
    Path pgData = dir.resolve("postgres");
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
         Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE tasks_of_old (id int)");
      s.execute("INSERT INTO tasks_of_old VALUES (42)");
    }
    assertThat(Files.readString(pgData.resolve("pg_hba.conf"))).contains("trust");
    assertThat(pgData.resolve(EmbeddedPassword.FILE)).doesNotExist();

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir)) {
      try (Connection c = connect(db, password(db)); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT id FROM tasks_of_old")) {
        assertThat(r.next()).isTrue();
        assertThat(r.getInt(1)).isEqualTo(42);
      }
      assertThatThrownBy(() -> connect(db, null)).isInstanceOf(SQLException.class);
      assertThat(pgData.resolve(EmbeddedPassword.FILE)).exists();
    }
  }

  private static String password(EmbeddedDatabase db) {
    return URI.create(db.url()).getUserInfo().split(":", 2)[1];
  }

  private static Connection connect(EmbeddedDatabase db, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    if (password != null) {
      props.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + db.port() + "/postgres", props);
  }

  private static String show(Statement s, String setting) throws SQLException {
    try (ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }
}
