package dev.taskhub.config;

import dev.taskhub.api.LeaseTerms;
import dev.taskhub.api.TypeSettings;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A node's configuration, read once and typed: every verticle builds it from its config in {@code start()} (a
 * verticle redeployed by HA carries the config of the node that died, so it is read where it runs, not passed as an
 * object). Missing keys take their defaults from {@code default.yaml} ({@link Defaults}); nothing here restates one.
 */
public record NodeSettings(
    /* null when unset: see NodeIdentity. */
    String nodeId,
    Set<Role> roles,
    /* How long a draining node waits for the tasks it runs (node.shutdownGraceSeconds); 0: none, kill at once. */
    int shutdownGraceSeconds,
    Path dataDir,
    Path executorsDir,
    Db db,
    Http http,
    Agents agent,
    ExecutorLimits executor,
    TaskLimits task,
    int heartbeatPeriodSeconds,
    Cluster cluster,
    Finalizers finalizer,
    Api api,
    Metrics metrics,
    Schedules schedule,
    Retention retention,
    /* The configuration's per-type settings ({@code types.<type>.<setting>}), applied by the hub at its start. */
    List<TypeSettings.Change> types,
    /* Set by the launcher, not by users ({@code hub.url}): this node's own HTTP API, see {@link #ownApiUrl}. */
    String hubUrl,
    ExecutorAccess executorAccess,
    /* Set by the supervisor for each agent it deploys. */
    String agentId) {

  /** What a node runs ({@code node.roles}). */
  public enum Role {
    hub, agents, monitor, http;

    static Set<Role> parse(String text) {
      Set<Role> roles = EnumSet.noneOf(Role.class);
      for (String name : text == null ? new String[0] : text.split(",")) {
        if (name.isBlank()) {
          continue;
        }
        try {
          roles.add(valueOf(name.trim()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("unknown role '" + name.trim() + "' in node.roles: use any of "
              + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
      }
      return roles;
    }
  }

  /** {@code db.url} is null for the embedded PostgreSQL (the launcher then sets it to that server's URL). */
  public record Db(String url, int poolSize) {
  }

  /** {@code tls} is null for plain HTTP; {@code allowedHosts}: Host names served without tokens besides loopback ones. */
  public record Http(String host, int port, int maxBodyBytes, Tls tls, List<String> allowedHosts) {
  }

  /** PEM files; {@code caFile} is null where no peer certificate is checked (the HTTP API). */
  public record Tls(String certFile, String keyFile, String caFile) {
  }

  /** {@code spawner}: native, java or auto; {@code fenceSeconds}: see {@link #fence}. */
  public record Agents(int count, LeaseTerms lease, int executorTimeoutSeconds, Double maxCpuLoad, Double minFreeMemoryMb,
                       String spawner, int fenceSeconds) {
  }

  public record ExecutorLimits(int maxLineChars, int maxResultChars, int maxPendingLogChars) {
  }

  /**
   * What executors are told ({@code TASKHUB_HUB_URL}, {@code TASKHUB_TOKEN}): {@code hubUrl} is {@code executor.hubUrl},
   * else this node's own API when it serves one ({@code hub.url}), else null (an agent-only node tells none);
   * {@code token} is {@code executor.token}, or null for none. Its role is checked where the agent starts.
   */
  public record ExecutorAccess(String hubUrl, String token) {
    @Override
    public String toString() { // a record would print the token
      return "ExecutorAccess[hubUrl=" + hubUrl + ", token=" + (token == null ? "none" : "(set)") + "]";
    }
  }

  /** {@code maxLostAttempts}: node losses while a task runs before it ends ERROR (NodeLost). */
  public record TaskLimits(int maxDataBytes, int maxBatch, int maxLogChars, int maxLostAttempts) {
    public TaskLimits {
      if (maxLostAttempts < 1) {
        throw new IllegalArgumentException("task.maxLostAttempts must be at least 1, not " + maxLostAttempts);
      }
    }
  }

  public record Cluster(boolean enabled, String name, List<String> members, String host, int port,
                        int maxNoHeartbeatSeconds, String config, Tls tls) {
  }

  /** {@code secret} is null when callbacks are not signed. */
  /** {@code allowedUrls}: prefixes a finalizeUrl must start with; empty: any http(s) URL. */
  public record Finalizers(String secret, int maxAttempts, int timeoutSeconds, List<String> allowedUrls) {
  }

  public record Metrics(int reconcileSeconds) {
  }

  /** Inline tokens and a tokens file, both optional. */
  public record Api(String tokens, String tokensFile) {
  }

  /** A tick later than {@code misfireSeconds} was missed: one task stands for all of a schedule's missed ticks. */
  public record Schedules(Duration misfire) {
  }

  /** Finished tasks older than {@code finished} (by finishedAt) are purged; null: kept forever ({@code off}). */
  public record Retention(Duration finished) {
  }

  public static NodeSettings from(JsonObject config) {
    ConfigValues v = new ConfigValues(LocalSecrets.fill(config), Defaults.flat());
    LeaseTerms lease = new LeaseTerms(v.integer("agent.leasePeriodSeconds"));
    int maxNoHeartbeatSeconds = v.integer("cluster.maxNoHeartbeatSeconds");
    return new NodeSettings(
        v.string("node.id"),
        Role.parse(v.string("node.roles")),
        SettingRules.shutdownGrace(v.integer("node.shutdownGraceSeconds")),
        Path.of(v.string("data.dir")),
        Path.of(v.string("executors.dir")),
        new Db(v.string("db.url"), v.integer("db.poolSize")),
        new Http(v.string("http.host"), v.integer("http.port"), v.integer("http.maxBodyBytes"),
            SettingRules.tls("http.tls", v.string("http.tls.certFile"), v.string("http.tls.keyFile"), null, false),
            SettingRules.list(v.string("http.allowedHosts"))),
        new Agents(v.integer("agent.count"), lease, v.integer("agent.executorTimeoutSeconds"), v.decimal("agent.maxCpuLoad"),
            v.decimal("agent.minFreeMemoryMb"), SettingRules.spawner(v.string("agent.spawner")),
            SettingRules.fence(v.string("agent.fenceSeconds") == null ? null : v.integer("agent.fenceSeconds"), maxNoHeartbeatSeconds, lease)),
        new ExecutorLimits(v.integer("executor.maxLineChars"), v.integer("executor.maxResultChars"),
            v.integer("executor.maxPendingLogChars")),
        new TaskLimits(v.integer("task.maxDataBytes"), v.integer("task.maxBatch"), v.integer("task.maxLogChars"),
            v.integer("task.maxLostAttempts")),
        Math.max(1, v.integer("heartbeat.periodSeconds")),
        new Cluster(v.bool("cluster.enabled"), v.string("cluster.name"), SettingRules.list(v.string("cluster.members")),
            v.string("cluster.host"), v.integer("cluster.port"), maxNoHeartbeatSeconds,
            v.string("cluster.config"),
            SettingRules.tls("cluster.tls", v.string("cluster.tls.certFile"), v.string("cluster.tls.keyFile"), v.string("cluster.tls.caFile"), true)),
        new Finalizers(v.string("finalizer.secret"), v.integer("finalizer.maxAttempts"), v.integer("finalizer.timeoutSeconds"),
            SettingRules.list(v.string("finalizer.allowedUrls"))),
        new Api(v.string("api.tokens"), v.string("api.tokensFile")),
        new Metrics(Math.max(1, v.integer("metrics.reconcileSeconds"))),
        new Schedules(Duration.ofSeconds(Math.max(1, v.integer("schedule.misfireSeconds")))),
        new Retention(SettingRules.retention(v.string("retention.finished"))),
        TypeSettings.fromConfig(ConfigValues.typeKeys(config)),
        v.string("hub.url"),
        new ExecutorAccess(SettingRules.url("executor.hubUrl", v.string("executor.hubUrl", v.string("hub.url"))), v.string("executor.token")),
        v.string("agent.id"));
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  /**
   * This node's HTTP API as a process on this machine reaches it (the launcher makes it {@code hub.url}). A wildcard
   * {@code http.host} (0.0.0.0, ::) is no address to connect to: {@code cluster.host} stands for it — this node's
   * address, the one its certificate names when it serves HTTPS — or 127.0.0.1 when that is a wildcard too.
   */
  public String ownApiUrl() {
    String host = wildcard(http.host()) ? (wildcard(cluster.host()) ? "127.0.0.1" : cluster.host()) : http.host();
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]"; // an IPv6 literal
    }
    return (http.tls() == null ? "http://" : "https://") + host + ":" + http.port();
  }

  private static boolean wildcard(String host) {
    return host == null || List.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*").contains(host.trim());
  }

  /** The configuration keys users may set, with their defaults: those of {@code default.yaml}. */
  public static Map<String, String> keys() {
    return Defaults.flat();
  }
}
