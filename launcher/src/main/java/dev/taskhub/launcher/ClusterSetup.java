package dev.taskhub.launcher;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.taskhub.api.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Turns Taskhub's {@code cluster.*} keys into a Hazelcast configuration and a clustered Vert.x. The XML file
 * ({@code cluster.config}, else {@code conf/cluster.xml}, else the copy in the jar) supplies everything else; the
 * keys always win for the cluster's name, its TCP-IP members, this node's address and port, and the heartbeat
 * timeout that bounds how long a hung node keeps its tasks.
 */
final class ClusterSetup {
  private ClusterSetup() {
  }

  static boolean enabled(Settings settings) {
    return settings.bool("cluster.enabled", false);
  }

  /** Starts a clustered Vert.x joined to the configured cluster. Blocking: for a main thread. */
  static Vertx startVertx(Settings settings) throws Exception {
    VertxOptions options = new VertxOptions();
    configure(options, settings);
    return builder(options, settings).buildClustered().await();
  }

  /** The event bus of a clustered node listens on {@code cluster.host}, at a random port. */
  static void configure(VertxOptions options, Settings settings) {
    EventBusOptions bus = options.getEventBusOptions();
    bus.setHost(settings.string("cluster.host", "127.0.0.1"));
  }

  static VertxBuilder builder(VertxOptions options, Settings settings) {
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(settings)));
  }

  static Config hazelcast(Settings settings) {
    // Before the XML is read, or Hazelcast logs its first lines through java.util.logging.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    Config config = load(settings.string("cluster.config", null));
    String host = settings.string("cluster.host", "127.0.0.1");
    config.setClusterName(settings.string("cluster.name", "taskhub"));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(settings.integer("cluster.maxNoHeartbeatSeconds", 10)));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.integer("cluster.port", 5701));
    network.getInterfaces().clear();
    if (isAddress(host)) {
      network.getInterfaces().setEnabled(true).addInterface(host);
    } else {
      network.getInterfaces().setEnabled(false);
      network.setPublicAddress(host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members(settings.string("cluster.members", "127.0.0.1")));
    return config;
  }

  static List<String> members(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Config load(String file) {
    try {
      if (file != null) {
        return new FileSystemXmlConfig(Path.of(file).toFile());
      }
      Path local = Path.of("conf", "cluster.xml");
      return Files.isRegularFile(local) ? new FileSystemXmlConfig(local.toFile()) : new ClasspathXmlConfig("cluster.xml");
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the Hazelcast configuration " + file + ": " + e.getMessage());
    }
  }

  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") && !host.equals("0.0.0.0");
  }
}
