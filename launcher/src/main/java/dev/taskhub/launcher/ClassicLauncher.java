package dev.taskhub.launcher;

import dev.taskhub.config.LocalSecrets;
import dev.taskhub.config.NodeSettings;
import dev.taskhub.hub.HubVerticle;
import dev.taskhub.metrics.Meters;
import dev.taskhub.node.NodeIdentity;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Launcher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The classic Vert.x launcher ({@code run <verticle> [-cluster] [-ha] [-conf file]}, {@code bare}, {@code start},
 * {@code stop}) with Taskhub's configuration filled in. Its hooks layer the configuration as the
 * {@code node} command does — default.yaml, conf/override.yaml, the {@code -conf} JSON (flat or nested keys), then
 * TASKHUB_* environment variables — and give the verticle every Taskhub key; they configure Hazelcast from the
 * {@code cluster.*} keys; a hub run without {@code db.url} gets the embedded PostgreSQL under {@code data.dir}.
 * A verticle run with {@code -ha} is redeployed on a surviving HA node ({@code run … -ha} or {@code bare}) when its
 * node dies; its config travels with it, so use a real PostgreSQL ({@code db.url}) for an HA hub.
 */
public final class ClassicLauncher extends Launcher {
  private static final Logger log = LoggerFactory.getLogger(ClassicLauncher.class);
  // Vert.x's own "list" is left out: "taskhub list" lists tasks.
  static final Set<String> COMMANDS = Set.of("run", "bare", "start", "stop", "version");

  private final List<String> args;
  private JsonObject config = new JsonObject();
  private NodeSettings settings;
  private EmbeddedDatabase database;

  private ClassicLauncher(List<String> args) {
    this.args = args;
  }

  public static void main(String[] args) {
    new ClassicLauncher(List.of(args)).dispatch(args);
  }

  /** Taskhub's keys, layered over the {@code -conf} JSON (empty for {@code bare}). */
  private NodeSettings settings() {
    if (settings == null) {
      settings = NodeSettings.from(layered());
    }
    return settings;
  }

  private JsonObject layered() {
    JsonObject layered = ConfigLoader.layered(Path.of("conf", "override.yaml"), config, System.getenv());
    if (layered.getString("node.id", "").isBlank()) {
      layered.put("node.id", Node.defaultId());
    }
    return layered;
  }

  @Override
  public void afterConfigParsed(JsonObject config) {
    this.config = config;
    layered().forEach(e -> config.put(e.getKey(), e.getValue())); // flat keys: they win over nested ones
    settings = NodeSettings.from(config);
    if (args.contains(HubVerticle.class.getName()) && settings.db().url() == null) {
      try {
        database = EmbeddedDatabase.start(settings.dataDir());
        config.put("db.url", database.url());
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
      }
    }
    LocalSecrets.remember(config);
  }

  @Override
  public void beforeStartingVertx(VertxOptions options) {
    if (config.isEmpty()) {
      LocalSecrets.remember(layered()); // bare: no -conf, but HA may move a verticle here that needs this node's secrets
    }
    Meters.enable(options);
    ClusterSetup.configure(options, settings().cluster());
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    boolean clustered = args.contains("-cluster") || args.contains("--cluster") || args.contains("-ha") || args.contains("--ha")
        || (!args.isEmpty() && args.get(0).equals("bare"));
    return clustered ? ClusterSetup.builder(options, settings().cluster()) : null;
  }

  @Override
  public void afterStartingVertx(Vertx vertx) {
    String nodeId = NodeIdentity.of(vertx, settings());
    config.put("node.id", nodeId);
    System.out.println("Taskhub node " + nodeId + " is up (classic launcher: " + String.join(" ", args) + ")");
  }

  @Override
  public void beforeDeployingVerticle(DeploymentOptions deploymentOptions) {
    // With -ha this config is copied into the cluster's HA map: no secrets in it (see LocalSecrets).
    deploymentOptions.setConfig(LocalSecrets.strip(config));
  }

  @Override
  public void afterStoppingVertx() {
    if (database != null) {
      try {
        database.close();
      } catch (Exception e) {
        log.warn("stopping the embedded PostgreSQL: {}", e.toString());
      }
    }
  }
}
