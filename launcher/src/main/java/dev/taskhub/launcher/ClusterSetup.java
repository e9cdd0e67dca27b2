package dev.taskhub.launcher;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.taskhub.config.NodeSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns Taskhub's {@code cluster.*} keys into a Hazelcast configuration and a clustered Vert.x. The XML file
 * ({@code cluster.config}, else {@code conf/cluster.xml}, else the copy in the jar) supplies everything else; the
 * keys always win for the cluster's name, its TCP-IP members, this node's address and port, and the heartbeat
 * timeout that bounds how long a hung node keeps its tasks.
 */
final class ClusterSetup {
  private ClusterSetup() {
  }

  /** Starts a clustered Vert.x joined to the configured cluster. Blocking: for a main thread. */
  static Vertx startVertx(VertxOptions options, NodeSettings.Cluster cluster) throws Exception {
    configure(options, cluster);
    return builder(options, cluster).buildClustered().await();
  }

  /**
   * The event bus of a clustered node listens on {@code cluster.host}, at a random port. With {@code cluster.tls} it
   * is mutual TLS: each node presents its certificate and accepts only peers whose certificate the CA signed, so a
   * JVM without one sends and receives no message, even after joining Hazelcast (which carries membership and the
   * address book, not messages).
   */
  static void configure(VertxOptions options, NodeSettings.Cluster cluster) {
    EventBusOptions bus = options.getEventBusOptions();
    bus.setHost(cluster.host());
    NodeSettings.Tls tls = cluster.tls();
    if (tls != null) {
      bus.setSsl(true).setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certFile()).setKeyPath(tls.keyFile()))
          .setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile()));
    }
  }

  static VertxBuilder builder(VertxOptions options, NodeSettings.Cluster cluster) {
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast(cluster)));
  }

  static Config hazelcast(NodeSettings.Cluster cluster) {
    // Before the XML is read, or Hazelcast logs its first lines through java.util.logging.
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    Config config = load(cluster.config());
    String host = cluster.host();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.maxNoHeartbeatSeconds()));
    // Hazelcast binds every interface by default, whatever interfaces it is told to use: only cluster.host.
    config.setProperty("hazelcast.socket.bind.any", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port());
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
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
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
