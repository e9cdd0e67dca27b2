package dev.taskhub.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AllowedHostsTest {
  @Test
  void loopbackIsDecidedOnTheNameAsWrittenNeverByResolvingIt() {
    for (String host : new String[] {"localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1"}) {
      assertThat(AllowedHosts.isLoopback(host)).as(host).isTrue();
    }
    for (String host : new String[] {"attacker.example", "127.0.0.1.attacker.example", "localhost.attacker.example",
        "0.0.0.0", "10.0.0.1", "[::2]", ""}) {
      assertThat(AllowedHosts.isLoopback(host)).as(host).isFalse();
    }
  }
}
