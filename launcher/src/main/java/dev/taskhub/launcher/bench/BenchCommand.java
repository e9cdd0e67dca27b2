package dev.taskhub.launcher.bench;

import dev.taskhub.api.Priority;
import dev.taskhub.launcher.ConfigLoader;
import dev.taskhub.launcher.EmbeddedDatabase;
import dev.taskhub.launcher.FreePorts;
import dev.taskhub.launcher.Node;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The built-in benchmark: a real node (real executor processes, a fresh database of its own on a durable PostgreSQL)
 * in this JVM, measured against this machine's own ceiling for starting processes — the floor under every task. One
 * class per figure beside this one; here only their order. Figures, not asserts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure throughput, latency, database cost per task, backlog scale and (with --dispatch) one hub's "
        + "dispatch efficiency on this machine, each throughput with its ratio to the machine's process-start ceiling.",
        "Runs in a fresh database taskhub_bench_<random> (dropped at the end) on --db-url's server, else on an embedded PostgreSQL."})
public final class BenchCommand implements Callable<Integer> {

  @Option(names = "--db-url", paramLabel = "URL",
      description = "A PostgreSQL server to run on, e.g. postgresql://postgres@127.0.0.1:5432/postgres (default: embedded).")
  String dbUrl;

  @Option(names = "--agents", description = "Agents on the benchmark node (default: ${DEFAULT-VALUE}).")
  int agents = 8;

  @Option(names = "--tasks", description = "Tasks of each throughput run (default: ${DEFAULT-VALUE}).")
  int tasks = 3000;

  @Option(names = "--backlog", description = "READY tasks queued for the scale run; 0 skips it (default: ${DEFAULT-VALUE}).")
  int backlog = 1_000_000;

  @Option(names = "--seconds", description = "Length of the process-start measurement (default: ${DEFAULT-VALUE}).")
  int seconds = 3;

  @Option(names = "--dispatch", description = "Also measure one hub feeding 200 agents in 4 JVMs (about a minute).")
  boolean dispatch;

  @Option(names = "--json", description = "Print one JSON object with every figure instead of the table (which goes to stderr).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || tasks < 1 || backlog < 0 || seconds < 1) {
      throw new IllegalArgumentException("--agents, --tasks and --seconds must be at least 1, --backlog at least 0");
    }
    BenchReport report = new BenchReport(json);
    Path dir = Files.createTempDirectory("taskhub-bench");
    Vertx vertx = Vertx.vertx(); // the bench's own client: its databases, the backlog insert
    EmbeddedDatabase embedded = null;
    boolean finished = false;
    try {
      String serverUrl = dbUrl;
      if (serverUrl == null) {
        embedded = EmbeddedDatabase.start(dir);
        serverUrl = embedded.url();
      }
      try (BenchDatabase database = BenchDatabase.create(vertx, serverUrl, "")) {
        Durability server = Durability.read(database.reader()).await();
        report.settings(settings(server, embedded != null), header(server, embedded != null, database.name()));
        onOneNode(report, vertx, database, server, dir);
      }
      if (dispatch) {
        try (BenchDatabase database = BenchDatabase.create(vertx, serverUrl, "_dispatch")) {
          report.note("dispatch: one hub here, " + DispatchEfficiency.JVMS + " agent JVMs of " + DispatchEfficiency.AGENTS_PER_JVM
              + " agents, " + DispatchEfficiency.TASKS + " tasks of 2 s (about a minute)…");
          DispatchEfficiency.Result result = DispatchEfficiency.measure(database, dir.resolve("dispatch"));
          report.figure("dispatch", result.toJson(), "dispatch, one hub", result.describe());
          report.line("HTTP to running, 200 idle", result.describeIdle());
        }
      }
      report.finish();
      finished = true;
      return 0;
    } finally {
      if (embedded != null) {
        embedded.close();
      }
      vertx.close().await();
      if (finished) {
        deleteQuietly(dir);
      } else {
        System.err.println("bench: its files (the agent JVMs' logs among them) are kept in " + dir);
      }
    }
  }

  /** Everything measured on one node running the hub, the agents and HTTP, in this order. */
  private void onOneNode(BenchReport report, Vertx vertx, BenchDatabase database, Durability server, Path dir) throws Exception {
    Path executors = BenchExecutors.forOneNode(dir.resolve("executors"), dir.resolve("stamps"));
    JsonObject config = ConfigLoader.load(null, null, Map.of(), List.of(
        "data.dir=" + dir.resolve("node"), "executors.dir=" + executors, "agent.count=" + agents,
        "node.roles=hub,agents,http", "http.port=" + FreePorts.next(), "node.id=bench", "db.url=" + database.url()));
    try (Node node = Node.start(config); TaskTimeline timeline = new TaskTimeline(node.vertx().eventBus())) {
      BenchHttp http = new BenchHttp(node.config().getString("hub.url"));
      Throughput throughput = new Throughput(http, timeline);
      DatabaseCost cost = new DatabaseCost(database, server);

      report.note("bench: warming up until the JIT compiler is nearly done, then " + tasks + " tasks; the database "
          + "statistics need ~" + cost.flushDelayNanos() / 1_000_000_000 + " s to settle before and after…");
      report.note("bench: " + WarmUp.run(throughput, tasks));
      cost.awaitFlushed(System.nanoTime());
      DatabaseCost.Counters before = cost.read();
      Throughput.Result run = throughput.measure(BenchExecutors.TRUE, tasks, Priority.Normal);
      long ran = System.nanoTime();
      // The ceiling is measured while the statistics settle: the node is idle then, and nothing else runs.
      ProcessStartCeiling.Result ceiling = ProcessStartCeiling.measure(BenchExecutors.trueCommand(executors), agents, seconds);
      report.figure("processStartCeiling", ceiling.toJson(), "process-start ceiling", ceiling.describe());
      report.figure("throughput", run.toJson(ceiling), "end to end, true tasks", run.describe(ceiling));
      cost.awaitFlushed(ran);
      DatabaseCost.PerTask perTask = DatabaseCost.PerTask.of(cost.read().minus(before), tasks);
      report.figure("databaseCost", perTask.toJson(), "database cost", perTask.describe());

      HttpToRunningLatency.Result latency = new HttpToRunningLatency(http, timeline, dir.resolve("stamps")).measure();
      report.figure("httpToRunning", latency.toJson(), "HTTP to running, idle", latency.describe());
      EventBusLatency.Result hubView = new EventBusLatency(node.vertx().eventBus(), timeline).measure(BenchExecutors.TRUE);
      report.figure("eventBusLatency", hubView.toJson(), "event bus latency, idle", hubView.describe());

      if (backlog > 0) {
        report.note("bench: the same throughput again with " + backlog + " READY tasks queued…");
        BacklogScale.Result scale = new BacklogScale(throughput, vertx, database.url()).measure(backlog, tasks);
        report.figure("backlog", scale.toJson(), "with a backlog", scale.describe());
        report.note("bench: closing the node while its agents work on the backlog (a closed pool may be logged)");
      }
    }
  }

  private JsonObject settings(Durability server, boolean embedded) {
    return new JsonObject().put("cores", Runtime.getRuntime().availableProcessors()).put("agents", agents)
        .put("tasks", tasks).put("backlog", backlog).put("dispatch", dispatch)
        .put("java", System.getProperty("java.version")).put("postgres", server.version())
        .put("database", embedded ? "embedded" : "external").mergeIn(server.toJson());
  }

  private String header(Durability server, boolean embedded, String database) {
    return String.format("Taskhub bench: %d cores, %d agents, Java %s, PostgreSQL %s on the %s server, database %s%n%s",
        Runtime.getRuntime().availableProcessors(), agents, System.getProperty("java.version"), server.version(),
        embedded ? "embedded" : "--db-url", database, server.describe());
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a leftover folder under the temporary directory is harmless
    }
  }
}
