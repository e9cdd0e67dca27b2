package dev.taskhub.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A Hazelcast cluster for one test: a unique name (tests and engineers sharing the machine never join each other),
 * TCP-IP members on 127.0.0.1 at ports picked free up front, one port per node.
 */
public final class TestCluster {
  private final String name = "taskhub-test-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<Integer> ports = new ArrayList<>();
  private int next;
  private int maxNoHeartbeatSeconds = 10;

  public TestCluster(int nodes) throws IOException {
    for (int i = 0; i < nodes; i++) {
      try (ServerSocket socket = new ServerSocket(0)) {
        ports.add(socket.getLocalPort());
      }
    }
  }

  /** How long a hung node keeps its membership (cluster.maxNoHeartbeatSeconds). */
  public TestCluster maxNoHeartbeatSeconds(int seconds) {
    maxNoHeartbeatSeconds = seconds;
    return this;
  }

  public String name() {
    return name;
  }

  public String members() {
    return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
  }

  int maxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  public synchronized int nextPort() {
    if (next == ports.size()) {
      throw new IllegalStateException("this cluster was made for " + ports.size() + " nodes");
    }
    return ports.get(next++);
  }
}
