package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The work the fault tests run, and what they check after it. The executor "work" records its pid and the pid of a
 * child it starts (a grandchild of the agent, which a parent-death signal alone would not kill), reports progress
 * twice a second, and on a normal end writes "id attempt" to runs.txt and answers "attempt N" as its result. The
 * executor and its child write their signs of life (the clock, in nanoseconds) to "id-attempt-alive", and the
 * executor its start to "id-attempt-start": what they did, in their own words.
 * A first attempt can be made to run long, so that it is still running when the fault strikes.
 */
final class Workload {
  static final String TYPE = "work";

  private final Path runs;
  private final Path pids;
  private final Path finalizations;
  private final Executors executors;

  Workload(Path dir, int firstAttemptSeconds, int laterAttemptSeconds) throws IOException {
    runs = dir.resolve("runs.txt");
    pids = Files.createDirectories(dir.resolve("pids"));
    finalizations = dir.resolve("finalizations.txt");
    executors = new Executors(dir.resolve("executors")).script(TYPE, """
        me='%1$s/'$TASKHUB_TASK_ID-$TASKHUB_ATTEMPT
        echo $$ > "$me"
        date +%%s%%N > "$me-start"
        (while :; do date +%%s%%N >> "$me-alive"; sleep 0.2; done) >/dev/null 2>&1 &
        child=$!
        echo $child > "$me-child"
        if [ "$TASKHUB_ATTEMPT" = 1 ]; then n=%3$d; else n=%4$d; fi
        i=0
        while [ $i -lt $n ]; do echo "Progress: $((i * 100 / n))%%"; date +%%s%%N >> "$me-alive"; sleep 0.5; i=$((i + 1)); done
        kill $child
        echo "ResultData: attempt $TASKHUB_ATTEMPT"
        echo "$TASKHUB_TASK_ID $TASKHUB_ATTEMPT" >> '%2$s'
        """.formatted(pids, runs, firstAttemptSeconds * 2, laterAttemptSeconds * 2));
  }

  Path executorsDir() {
    return executors.dir();
  }

  Path finalizationsFile() {
    return finalizations;
  }

  /** A node of the test's cluster running this work, with its own folder, recording finalizations. */
  TaskhubNode node(String name, Path dir, TestCluster cluster, String db) throws IOException {
    return TaskhubNode.named(name, Files.createDirectories(dir.resolve(name))).cluster(cluster).database(db)
        .executors(executors.dir()).withTestFinalizer(finalizations);
  }

  /** Registers {@code count} tasks at once; answers their ids. */
  List<Long> submit(Api api, int count) {
    JsonArray tasks = new JsonArray();
    for (int i = 0; i < count; i++) {
      tasks.add(new JsonObject().put("type", TYPE).put("maxAttempts", 3));
    }
    Api.Response r = api.post("/api/tasks", new JsonObject().put("tasks", tasks).encode());
    assertThat(r.status()).as(r.text()).isEqualTo(201);
    return r.json().getJsonArray("tasks").stream().map(t -> ((JsonObject) t).getLong("id")).toList();
  }

  /**
   * Waits until all {@code ids} are DONE. A request that a dying hub was to answer fails with 503 (clients retry
   * such answers), so failed polls are retried too.
   */
  void awaitAllDone(Api api, List<Long> ids, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> api.stats().getJsonObject("byState").getLong("DONE", 0L) == ids.size());
  }

  long running(Api api) {
    return api.stats().getJsonObject("byState").getLong("RUNNING", 0L);
  }

  /** The pids of the executors (and their children) that attempt {@code attempt} of any task started. */
  List<Long> pidsOfAttempt(int attempt) throws IOException {
    try (Stream<Path> files = Files.list(pids)) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+-" + attempt + "(-child)?"))
          .map(Workload::pid).filter(p -> p > 0).toList();
    }
  }

  /** The last time the executor of an attempt, or its child, wrote that it was alive (epoch nanoseconds). */
  long lastSignOfLife(long id, int attempt) throws IOException {
    return lines(pids.resolve(id + "-" + attempt + "-alive")).stream().mapToLong(Long::parseLong).max().orElse(0);
  }

  /** When the executor of an attempt started (epoch nanoseconds), or 0 if it did not. */
  long startOf(long id, int attempt) throws IOException {
    return lines(pids.resolve(id + "-" + attempt + "-start")).stream().mapToLong(Long::parseLong).findFirst().orElse(0);
  }

  List<Long> allPids() throws IOException {
    try (Stream<Path> files = Files.list(pids)) {
      return files.map(Workload::pid).filter(p -> p > 0).toList();
    }
  }

  /** Every task ended DONE, its work was done exactly once, and its finalizer ran exactly once. */
  void assertEachRanAndWasFinalizedOnce(Api api, List<Long> ids) throws IOException {
    for (long id : ids) {
      JsonObject task = api.task(id);
      assertThat(task.getString("state")).as("task %d: %s", id, task.encode()).isEqualTo("DONE");
      // The result stored is the one of the attempt that held the lease last.
      assertThat(task.getString("resultData")).isEqualTo("attempt " + task.getInteger("attempts"));
    }
    List<Long> ran = lines(runs).stream().map(l -> Long.parseLong(l.split(" ")[0])).toList();
    assertThat(ran).as("tasks whose work completed").hasSameSizeAs(ids).containsExactlyInAnyOrderElementsOf(ids);
    List<Long> finalized = lines(finalizations).stream().map(l -> Long.parseLong(l.split(" ")[0])).toList();
    assertThat(finalized).as("finalizer runs").containsExactlyInAnyOrderElementsOf(ids);
  }

  static boolean noneAlive(List<Long> pids) {
    return pids.stream().noneMatch(TaskhubNode::isAlive);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toList() : new ArrayList<>();
  }

  private static long pid(Path file) {
    try {
      return Long.parseLong(Files.readString(file).trim());
    } catch (Exception e) {
      return -1;
    }
  }
}
