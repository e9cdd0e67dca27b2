package dev.taskhub.launcher;

import dev.taskhub.api.Settings;
import dev.taskhub.hub.HubVerticle;
import dev.taskhub.http.HttpVerticle;
import dev.taskhub.monitor.MonitorRoutes;
import dev.taskhub.monitor.MonitorVerticle;
import dev.taskhub.node.HeartbeatVerticle;
import dev.taskhub.node.NodeIdentity;
import dev.taskhub.supervisor.SupervisorVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One Taskhub node: a Vert.x instance with the verticles its roles name, and the embedded PostgreSQL when no
 * {@code db.url} is given. The hub starts first (it migrates the schema), then the agents and the HTTP bridge.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  static final Set<String> ROLES = Set.of("hub", "agents", "monitor", "http");

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
    Settings settings = Settings.of(config);
    Set<String> roles = roles(settings.string("node.roles", "hub,agents,monitor,http"));
    if (settings.string("node.id", null) == null) {
      config.put("node.id", defaultId());
    }
    EmbeddedDatabase database = null;
    if (roles.contains("hub") && settings.string("db.url", null) == null) {
      database = EmbeddedDatabase.start(Path.of(settings.string("data.dir", "taskhub-data")));
      config.put("db.url", database.url());
    }
    if (roles.contains("http") && settings.string("hub.url", null) == null) {
      config.put("hub.url", "http://" + settings.string("http.host", "127.0.0.1") + ":" + settings.integer("http.port", 8080));
    }
    Vertx vertx;
    try {
      vertx = ClusterSetup.enabled(settings) ? ClusterSetup.startVertx(settings) : Vertx.vertx();
    } catch (Exception e) {
      closeQuietly(database);
      throw e;
    }
    // In a cluster the node id carries the Hazelcast member id, so a departure maps to this node's tasks.
    config.put("node.id", NodeIdentity.of(vertx, Settings.of(config)));
    Node node = new Node(vertx, database, config);
    try {
      if (roles.contains("hub")) {
        node.deploy(new HubVerticle()).await();
      }
      List<Future<?>> rest = new ArrayList<>();
      rest.add(node.deploy(new HeartbeatVerticle()));
      if (roles.contains("agents") && settings.integer("agent.count", 3) > 0) {
        rest.add(node.deploy(new SupervisorVerticle()));
      }
      if (roles.contains("monitor")) {
        rest.add(node.deploy(new MonitorVerticle()));
      }
      if (roles.contains("http")) {
        rest.add(node.deploy(new HttpVerticle(roles.contains("monitor") ? List.of(new MonitorRoutes()) : List.of())));
      }
      Future.all(rest).await();
    } catch (Exception e) {
      node.close();
      throw e;
    }
    log.info("node {} up with roles {}{}{}", config.getString("node.id"), roles,
        vertx.isClustered() ? ", in cluster '" + settings.string("cluster.name", "taskhub") + "'" : "",
        database == null ? "" : ", embedded PostgreSQL under " + settings.string("data.dir", "taskhub-data"));
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

  static Set<String> roles(String text) {
    Set<String> roles = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    for (String role : roles) {
      if (!ROLES.contains(role)) {
        throw new IllegalArgumentException("unknown role '" + role + "' in node.roles: use any of hub, agents, monitor, http");
      }
    }
    return roles;
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
