package dev.taskhub.testing;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
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
      ports.add(Ports.free());
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

  /** Joins this test's JVM to the cluster, as an application's JVM would, on the next port. */
  public Vertx join() {
    Config config = new Config().setClusterName(name);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.getNetworkConfig().setPort(nextPort());
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of(members().split(",")));
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(config)).buildClustered().await();
  }
}
