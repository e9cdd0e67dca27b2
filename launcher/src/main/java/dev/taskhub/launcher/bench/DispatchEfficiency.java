package dev.taskhub.launcher.bench;

import dev.taskhub.launcher.ConfigLoader;
import dev.taskhub.launcher.FreePorts;
import dev.taskhub.launcher.Node;
import dev.taskhub.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * How well one hub keeps many agents fed, the figure that decides how many agent machines one hub can serve: this JVM
 * runs a clustered node with the hub and HTTP only, four agent JVMs of 50 agents each join it, and 2,000 tasks that
 * sleep 2 s (about 20 s of work) are registered at once. The figure is {@link BusyShare}: the agents' time spent
 * running tasks while READY tasks waited, from the tasks' own startedAt/finishedAt.
 */
final class DispatchEfficiency {
  static final int JVMS = 4;
  static final int AGENTS_PER_JVM = 50;
  static final int TASKS = 2000;

  /**
   * {@code statements}: what the hub sent to the database meanwhile, claims that found nothing included;
   * {@code idle}: HTTP to running after that, one task at a time while all the agents are idle, and the statements
   * each of those tasks cost.
   */
  record Result(int agents, int tasks, BusyShare busy, double seconds, long statements, HttpToRunningLatency.Result idle,
                double idleStatementsPerTask) {
    JsonObject toJson() {
      return new JsonObject().put("agents", agents).put("tasks", tasks).put("busyPercent", 100 * busy.share())
          .put("windowSeconds", busy.windowSeconds()).put("seconds", seconds).put("tasksPerSecond", tasks / seconds)
          .put("statementsPerTask", statements / (double) tasks)
          .put("idleHttpToRunning", idle.toJson().put("statementsPerTask", idleStatementsPerTask));
    }

    String describeIdle() {
      return String.format("%s; %.1f statements per task", idle.describe(), idleStatementsPerTask);
    }

    String describe() {
      return String.format("%8.1f %% agents busy while READY tasks waited  (%d agents in %d JVMs, %d tasks of 2 s;"
              + " window %.1f s, all done in %.1f s: %.0f tasks/s, %.2f statements per task)", 100 * busy.share(), agents,
          JVMS, tasks, busy.windowSeconds(), seconds, tasks / seconds, statements / (double) tasks);
    }
  }

  private DispatchEfficiency() {
  }

  static Result measure(BenchDatabase database, Path dir) throws Exception {
    String cluster = "taskhub-bench-" + UUID.randomUUID().toString().substring(0, 8);
    int hazelcastPort = FreePorts.next();
    String members = "127.0.0.1:" + hazelcastPort;
    Path stamps = dir.resolve("stamps");
    Path executors = BenchExecutors.forDispatch(dir.resolve("executors"), stamps);
    JsonObject config = ConfigLoader.load(null, null, Map.of(), List.of(
        "data.dir=" + dir.resolve("hub"), "executors.dir=" + executors, "node.roles=hub,http", "node.id=bench-hub",
        "http.port=" + FreePorts.next(), "db.url=" + database.url(), "cluster.enabled=true", "cluster.name=" + cluster,
        "cluster.members=" + members, "cluster.host=127.0.0.1", "cluster.port=" + hazelcastPort));
    Map<String, String> agentEnv = Map.of("TASKHUB_NODE_ROLES", "agents", "TASKHUB_AGENT_COUNT", Integer.toString(AGENTS_PER_JVM),
        "TASKHUB_DB_URL", database.url(), "TASKHUB_EXECUTORS_DIR", executors.toString(), "TASKHUB_CLUSTER_ENABLED", "true",
        "TASKHUB_CLUSTER_NAME", cluster, "TASKHUB_CLUSTER_MEMBERS", members, "TASKHUB_CLUSTER_HOST", "127.0.0.1");
    int agents = JVMS * AGENTS_PER_JVM;
    try (Node hub = Node.start(config); AgentJvms jvms = AgentJvms.start(JVMS, agentEnv, dir)) {
      BenchHttp http = new BenchHttp(hub.config().getString("hub.url"));
      awaitAgents(http, jvms, agents);
      long started = System.nanoTime();
      long statements = Store.statementsSent();
      for (int registered = 0; registered < TASKS; registered += Throughput.BATCH) {
        JsonArray batch = new JsonArray();
        for (int i = 0; i < Math.min(Throughput.BATCH, TASKS - registered); i++) {
          batch.add(new JsonObject().put("type", BenchExecutors.SLEEP2));
        }
        http.registerBatch(batch);
      }
      awaitDone(http, jvms);
      double seconds = (System.nanoTime() - started) / 1e9;
      statements = Store.statementsSent() - statements;
      // Every agent idle again, its JVM warmed by the run: what one task costs when a whole cluster could answer.
      long idleStatements = Store.statementsSent();
      HttpToRunningLatency.Result idle;
      try (TaskTimeline timeline = new TaskTimeline(hub.vertx().eventBus())) {
        idle = new HttpToRunningLatency(http, timeline, stamps).measure();
      }
      double idlePerTask = (Store.statementsSent() - idleStatements) / (double) HttpToRunningLatency.POSTS;
      return new Result(agents, TASKS, BusyShare.of(runs(database), agents), seconds, statements, idle, idlePerTask);
    }
  }

  private static void awaitAgents(BenchHttp http, AgentJvms jvms, int agents) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    int seen = 0;
    while (System.nanoTime() < deadline) {
      jvms.checkAlive();
      JsonArray list = http.get("/api/agents").getJsonArray("agents");
      seen = (int) list.stream().filter(a -> !((JsonObject) a).getBoolean("nodeGone", false)).count();
      if (seen >= agents) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("only " + seen + " of " + agents + " agents joined within 180 s");
  }

  private static void awaitDone(BenchHttp http, AgentJvms jvms) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < deadline) {
      jvms.checkAlive();
      JsonObject byState = http.get("/api/stats").getJsonObject("byState");
      long ended = byState.getLong("DONE", 0L) + byState.getLong("ERROR", 0L);
      if (ended >= TASKS) {
        if (byState.getLong("ERROR", 0L) > 0) {
          throw new IllegalStateException(byState.getLong("ERROR") + " sleep2 tasks ended ERROR: see the agents' logs under the bench folder");
        }
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the dispatch run did not finish within 10 minutes");
  }

  private static List<BusyShare.Run> runs(BenchDatabase database) {
    return database.reader().runsOf(BenchExecutors.SLEEP2).await().stream()
        .map(run -> new BusyShare.Run(run.started(), run.finished())).toList();
  }
}
