package dev.taskhub.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** executor.properties: the user, resolved with getent at scan time, and the limits; what cannot be honoured is left out. */
class ExecutorCatalogTest {
  @TempDir
  Path dir;

  @Test
  void userAndLimitsAreReadAndTheUserResolvedToItsUidAndPrimaryGroup() throws Exception {
    executor("confined", "user=root\nlimits.memoryMb=512\nlimits.cpuSeconds=60\nlimits.openFiles=256\narguments=classic\n");
    executor("plain", null);

    var found = new ExecutorCatalog(dir).scan();

    ExecutorIsolation confined = found.get("confined").isolation();
    assertThat(confined).isEqualTo(new ExecutorIsolation("root", 0, 0, 256L, 60L, 512L));
    assertThat(confined.memoryBytes()).isEqualTo(512L << 20);
    assertThat(found.get("confined").classicArguments()).isTrue();
    assertThat(found.get("plain").isolation()).isEqualTo(ExecutorIsolation.NONE);
  }

  @Test
  void anExecutorWhoseUserDoesNotExistIsUnavailableAndTheOthersAreNot() throws Exception {
    executor("ghost", "user=no-such-user-taskhub\n");
    executor("bad-limit", "limits.memoryMb=lots\n");
    executor("plain", null);

    assertThat(new ExecutorCatalog(dir).scan()).containsOnlyKeys("plain");
  }

  @Test
  void aBadValueIsRefusedNamingItsKey() {
    assertThatThrownBy(() -> read("limits.openFiles=0")).hasMessage("limits.openFiles must be a whole number from 1 to 2147483647, not '0'");
    assertThatThrownBy(() -> read("limits.cpuSeconds=-5")).hasMessageStartingWith("limits.cpuSeconds must be a whole number");
    assertThatThrownBy(() -> read("user=--help")).hasMessage("user '--help' is not a user name");
    assertThatThrownBy(() -> read("user=nobody-here")).hasMessageStartingWith("user 'nobody-here' does not exist on this node");
  }

  private static ExecutorIsolation read(String text) throws Exception {
    Properties props = new Properties();
    props.load(new java.io.StringReader(text));
    return ExecutorIsolation.read(props, name -> null);
  }

  private void executor(String type, String properties) throws Exception {
    Path folder = Files.createDirectories(dir.resolve(type));
    Path run = Files.writeString(folder.resolve("run"), "#!/bin/sh\ntrue\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    if (properties != null) {
      Files.writeString(folder.resolve("executor.properties"), properties);
    }
  }
}
