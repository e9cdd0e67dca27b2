package dev.taskhub.launcher;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.TaskEvent;
import dev.taskhub.store.Backlog;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The built-in benchmark: a real node (embedded PostgreSQL, real executor processes) on this machine, measured
 * against this machine's own ceiling for starting processes — the floor under every task. Figures, not asserts.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure registration, end-to-end throughput and latency on this machine, with their ratio to its process-start ceiling.")
final class BenchCommand implements Callable<Integer> {

  @Option(names = "--agents", description = "Agents on the benchmark node (default: 4 per core).")
  int agents = 4 * Runtime.getRuntime().availableProcessors();

  @Option(names = "--tasks", description = "Tasks for the throughput run (default: ${DEFAULT-VALUE}).")
  int tasks = 2000;

  @Option(names = "--backlog", description = "READY tasks of a type no agent runs, inserted before the last latency run (default: ${DEFAULT-VALUE}).")
  int backlog = 1_000_000;

  @Option(names = "--seconds", description = "Length of the process-start measurement (default: ${DEFAULT-VALUE}).")
  int seconds = 3;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("taskhub-bench");
    Path noop = Files.createDirectories(dir.resolve("executors/noop")).resolve("noop");
    Files.writeString(noop, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(noop, PosixFilePermissions.fromString("rwxr-xr-x"));

    say("Taskhub bench: %d cores, %d agents, Java %s", Runtime.getRuntime().availableProcessors(), agents, System.getProperty("java.version"));
    processStarts(List.of(noop.toString()), agents, 1); // warm-up: the JIT compiles the spawning path first
    double ceiling = processStarts(List.of(noop.toString()), agents, seconds);
    say("process-start ceiling   %8.0f starts/s  (%d threads starting the noop executor, no Taskhub)", ceiling, agents);

    JsonObject config = ConfigLoader.load(null, null, Map.of(), List.of(
        "data.dir=" + dir.resolve("data"), "executors.dir=" + dir.resolve("executors"), "agent.count=" + agents,
        "node.roles=hub,agents,http", "http.port=" + freePort(), "node.id=bench"));
    try (Node node = Node.start(config)) {
      EventBus bus = node.vertx().eventBus();
      Timeline timeline = new Timeline(bus);

      double single = registrations(bus, 2000, 32, false);
      say("registration, single    %8.0f tasks/s   (32 concurrent requests over the event bus)", single);
      double batch = registrations(bus, 20_000, 4, true);
      say("registration, batches   %8.0f tasks/s   (batches of 1000)", batch);

      // Warm-up, untimed: on a cold JVM half the CPU of the first thousands of tasks goes to the JIT compiler.
      throughput(bus, timeline, Math.min(tasks, 2000));
      double throughput = throughput(bus, timeline, tasks);
      say("end to end, noop tasks  %8.0f tasks/s   %5.1f%% of the process-start ceiling (%d tasks)", throughput, 100 * throughput / ceiling, tasks);

      latency(bus, timeline, "latency, idle node     ");
      long started = System.nanoTime();
      Backlog.insertReady(node.vertx(), node.config().getString("db.url"), "bench-backlog", backlog).await();
      say("backlog inserted        %8d READY tasks of a type no agent runs, in %.1f s", backlog, (System.nanoTime() - started) / 1e9);
      latency(bus, timeline, "latency, with backlog  ");
    }
    return 0;
  }

  /** Starts and reaps {@code command} from {@code threads} threads for {@code seconds}; starts per second. */
  static double processStarts(List<String> command, int threads, int seconds) throws InterruptedException {
    AtomicLong count = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        while (System.nanoTime() < end) {
          try {
            new ProcessBuilder(command).start().waitFor();
            count.incrementAndGet();
          } catch (IOException | InterruptedException e) {
            return;
          }
        }
      });
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    return count.get() / (double) seconds;
  }

  private static double registrations(EventBus bus, int count, int concurrency, boolean batches) {
    long started = System.nanoTime();
    if (batches) {
      for (int i = 0; i < count / 1000; i++) {
        JsonArray list = new JsonArray();
        IntStream.range(0, 1000).forEach(n -> list.add(new JsonObject().put("type", "bench-idle")));
        bus.request(Addresses.REGISTER, new JsonObject().put("tasks", list)).await();
      }
    } else {
      List<Future<?>> lanes = new ArrayList<>();
      for (int lane = 0; lane < concurrency; lane++) {
        Future<?> chain = Future.succeededFuture();
        for (int i = 0; i < count / concurrency; i++) {
          chain = chain.compose(x -> bus.request(Addresses.REGISTER, new JsonObject().put("type", "bench-idle")));
        }
        lanes.add(chain);
      }
      Future.all(lanes).await();
    }
    return count / ((System.nanoTime() - started) / 1e9);
  }

  private static double throughput(EventBus bus, Timeline timeline, int count) throws InterruptedException {
    CountDownLatch done = timeline.expect(count);
    long started = System.nanoTime();
    for (int registered = 0; registered < count; registered += 1000) {
      JsonArray list = new JsonArray();
      IntStream.range(0, Math.min(1000, count - registered)).forEach(n -> list.add(new JsonObject().put("type", "noop")));
      bus.request(Addresses.REGISTER, new JsonObject().put("tasks", list)).await();
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the throughput run did not finish in 10 minutes");
    }
    return count / ((System.nanoTime() - started) / 1e9);
  }

  /** One task at a time on an idle node: registration → claimed (RUNNING) → DONE, as the hub saw them. */
  private static void latency(EventBus bus, Timeline timeline, String label) throws InterruptedException {
    List<Double> toRunning = new ArrayList<>();
    List<Double> toDone = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      CountDownLatch done = timeline.expect(1);
      long sent = System.nanoTime();
      long id = bus.<JsonObject>request(Addresses.REGISTER, new JsonObject().put("type", "noop")).await().body().getLong("id");
      done.await(60, TimeUnit.SECONDS);
      toRunning.add((timeline.running.get(id) - sent) / 1e6);
      toDone.add((timeline.done.get(id) - sent) / 1e6);
    }
    say("%s%8.1f ms to start  (p95 %.1f), %.1f ms to DONE (p95 %.1f)", label,
        percentile(toRunning, 50), percentile(toRunning, 95), percentile(toDone, 50), percentile(toDone, 95));
  }

  /** When each task was seen RUNNING and DONE on the task-event stream. */
  private static final class Timeline {
    final Map<Long, Long> running = new ConcurrentHashMap<>();
    final Map<Long, Long> done = new ConcurrentHashMap<>();
    volatile CountDownLatch pending = new CountDownLatch(0);

    Timeline(EventBus bus) {
      bus.<JsonObject>consumer(Addresses.TASK_EVENTS, msg -> {
        TaskEvent event = TaskEvent.fromJson(msg.body());
        long now = System.nanoTime();
        switch (event.task().state()) {
          case RUNNING -> running.putIfAbsent(event.task().id(), now);
          case DONE, ERROR -> {
            if (done.putIfAbsent(event.task().id(), now) == null) {
              pending.countDown();
            }
          }
          default -> { }
        }
      });
    }

    CountDownLatch expect(int count) {
      pending = new CountDownLatch(count);
      return pending;
    }
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().collect(Collectors.toList());
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void say(String format, Object... args) {
    System.out.println(String.format(format, args));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
