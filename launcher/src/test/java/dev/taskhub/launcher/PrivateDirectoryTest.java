package dev.taskhub.launcher;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the embedded PostgreSQL's binaries are unpacked: a directory no other local user can have prepared. */
class PrivateDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void aNewDirectoryIsOursAloneAndAnOpenOneOfOursIsClosed() throws Exception {
    Path fresh = PrivateDirectory.of(dir.resolve("a").resolve("bin"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh))).isEqualTo("rwx------");

    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    PrivateDirectory.of(open);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open))).isEqualTo("rwx------");
  }

  @Test
  void aLinkOrAnotherUsersDirectoryIsRefused() throws Exception {
    Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), elsewhere);
    assertThatThrownBy(() -> PrivateDirectory.of(link)).isInstanceOf(IOException.class).hasMessageContaining("not a directory");

    assumeTrue(new UnixSystem().getUid() == 0, "only root can give a directory to another user");
    Path planted = Files.createDirectory(dir.resolve("planted"));
    Files.setAttribute(planted, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> PrivateDirectory.of(planted)).isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to the user with uid 65534");
  }
}
