package dev.taskhub.launcher;

import dev.taskhub.agent.ExecutorToken;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.config.NodeSettings.Role;
import dev.taskhub.hub.HubVerticle;
import dev.taskhub.http.HttpVerticle;
import dev.taskhub.metrics.Meters;
import dev.taskhub.monitor.MonitorRoutes;
import dev.taskhub.monitor.MonitorVerticle;
import dev.taskhub.node.HeartbeatVerticle;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.supervisor.SupervisorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One Taskhub node: a Vert.x instance with the verticles its roles name, and the embedded PostgreSQL when no
 * {@code db.url} is given. The hub starts first (it migrates the schema), then the agents and the HTTP bridge.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;
  private final EmbeddedDatabase database;
  private final JsonObject config;

  private Node(Vertx vertx, EmbeddedDatabase database, JsonObject config) {
    this.vertx = vertx;
    this.database = database;
    this.config = config;
  }

  /** Starts the node; blocking, for a main thread or a test. */
  public static Node start(JsonObject config) throws Exception {
    config = config.copy();
    NodeSettings settings = NodeSettings.from(config);
    if (settings.runs(Role.agents) && settings.agent().count() > 0) {
      ExecutorToken.check(settings); // an admin executor.token stops the node here, before anything has started
    }
    if (settings.nodeId() == null) {
      config.put("node.id", defaultId());
    }
    EmbeddedDatabase database = null;
    if (settings.runs(Role.hub) && settings.db().url() == null) {
      database = EmbeddedDatabase.start(settings.dataDir());
      config.put("db.url", database.url());
    }
    if (settings.runs(Role.http) && settings.hubUrl() == null) {
      // This node's API as its executors (and the bench) reach it; executor.hubUrl, when set, is what executors get.
      config.put("hub.url", settings.ownApiUrl());
    }
    Vertx vertx;
    try {
      VertxOptions options = Meters.enable(new VertxOptions());
      vertx = settings.cluster().enabled() ? ClusterSetup.startVertx(options, settings.cluster()) : Vertx.vertx(options);
    } catch (Exception e) {
      closeQuietly(database);
      throw e;
    }
    // In a cluster the node id carries the Hazelcast member id, so a departure maps to this node's tasks.
    config.put("node.id", NodeIdentity.of(vertx, NodeSettings.from(config)));
    Node node = new Node(vertx, database, config);
    try {
      if (settings.runs(Role.hub)) {
        node.deploy(new HubVerticle()).await();
      }
      List<Future<?>> rest = new ArrayList<>();
      rest.add(node.deploy(new HeartbeatVerticle()));
      if (settings.runs(Role.agents) && settings.agent().count() > 0) {
        rest.add(node.deploy(new SupervisorVerticle()));
      }
      if (settings.runs(Role.monitor)) {
        rest.add(node.deploy(new MonitorVerticle()));
      }
      if (settings.runs(Role.http)) {
        rest.add(node.deploy(new HttpVerticle(settings.runs(Role.monitor) ? List.of(new MonitorRoutes()) : List.of())));
      }
      Future.all(rest).await();
    } catch (Exception e) {
      node.close();
      throw e;
    }
    log.info("node {} up with roles {}{}{}", config.getString("node.id"), settings.roles(),
        vertx.isClustered() ? ", in cluster '" + settings.cluster().name() + "'" : "",
        database == null ? "" : ", embedded PostgreSQL under " + settings.dataDir());
    return node;
  }

  private Future<String> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config));
  }

  /** A node with no {@code node.id}: its host name plus a random suffix. */
  static String defaultId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "node";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  public Vertx vertx() {
    return vertx;
  }

  public JsonObject config() {
    return config;
  }

  @Override
  public void close() {
    try {
      vertx.close().await();
    } catch (Exception e) {
      log.warn("closing Vert.x: {}", e.toString());
    }
    closeQuietly(database);
  }

  private static void closeQuietly(EmbeddedDatabase database) {
    if (database != null) {
      try {
        database.close();
      } catch (Exception e) {
        log.warn("stopping the embedded PostgreSQL: {}", e.toString());
      }
    }
  }
}
