package dev.taskhub.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PrivilegesTest {

  @Test
  void rootWithItsCapabilitiesMayRunExecutorsAsOtherUsers() {
    Privileges root = Privileges.parse(List.of("Name:\tjava", "Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0", "CapEff:\t000001ffffffffff"));

    assertThat(root.whyNotOtherUsers()).isNull();
    assertThat(root.is(0, 0)).isTrue();
  }

  @Test
  void aNodeWithoutThemIsToldWhatItNeeds() {
    Privileges user = Privileges.parse(List.of("Uid:\t1000\t1000\t1000\t1000", "Gid:\t1000\t1000\t1000\t1000", "CapEff:\t0000000000000000"));

    assertThat(user.whyNotOtherUsers()).isEqualTo("running an executor as another user needs the node to run as root "
        + "(or with CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_KILL, CAP_SETGID, CAP_SETUID): this node runs as uid 1000 without "
        + "CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_KILL, CAP_SETGID, CAP_SETUID");
    assertThat(user.is(1000, 1000)).as("its own user needs no switch").isTrue();
  }

  @Test
  void rootInAContainerWithoutCapSetuidIsToldSoToo() {
    // CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_KILL, CAP_SETGID: bits 0, 1, 5, 6; no CAP_SETUID (bit 7)
    Privileges root = Privileges.parse(List.of("Uid:\t0\t0\t0\t0", "Gid:\t0\t0\t0\t0", "CapEff:\t0000000000000063"));

    assertThat(root.whyNotOtherUsers()).endsWith("this node runs as uid 0 without CAP_SETUID");
  }
}
