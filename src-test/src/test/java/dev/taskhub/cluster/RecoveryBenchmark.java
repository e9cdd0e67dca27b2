package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.awaitility.Awaitility.await;

/**
 * Measures recovery after kill -9: the time from the kill of the node running a task to the start of the task's
 * next attempt on a live node ({@code startedAt}, the database's clock on this same machine). Not part of the
 * suite; run it with
 * <pre>
 * mvn -B -o verify -pl src-test -am -Dtest=RecoveryBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.recovery=7
 * </pre>
 * It prints every run and the median, also written to {@code src-test/target/recovery-bench.txt}.
 */
@EnabledIfSystemProperty(named = "bench.recovery", matches = "\\d+")
class RecoveryBenchmark {
  @TempDir
  Path dir;

  @Test
  void medianTimeFromKill9ToTheNewAttemptsStart() throws Exception {
    int runs = Integer.parseInt(System.getProperty("bench.recovery"));
    Workload work = new Workload(dir, 300, 1);
    TestCluster cluster = new TestCluster(3);
    String db = TestDatabase.createDatabase();
    List<Long> millis = new ArrayList<>();
    try (TaskhubNode hub = work.node("bench-hub", dir, cluster, db).roles("hub,http").start();
         TaskhubNode a = work.node("bench-a", dir, cluster, db).roles("agents").set("agent.count", 1).start();
         TaskhubNode b = work.node("bench-b", dir, cluster, db).roles("agents").set("agent.count", 1).start()) {
      Api api = hub.api();
      for (int run = 1; run <= runs; run++) {
        long id = work.submit(api, 1).get(0);
        await().atMost(seconds(60)).until(() -> "RUNNING".equals(api.task(id).getString("state")));
        String holder = api.task(id).getString("node");
        TaskhubNode victim = Map.of(a.nodeId(), a, b.nodeId(), b).get(holder);
        Thread.sleep(1000); // let the executor settle

        Instant killed = Instant.now();
        victim.kill9();
        JsonObject next = await().atMost(seconds(120)).pollInterval(Duration.ofMillis(50))
            .until(() -> api.task(id), t -> t.getInteger("attempts") >= 2 && t.getString("startedAt") != null);
        long ms = Duration.between(killed, Instant.parse(next.getString("startedAt"))).toMillis();
        millis.add(ms);
        System.out.printf("recovery run %d: %d ms from kill -9 to the start of attempt %d%n", run, ms, next.getInteger("attempts"));

        api.awaitEnd(id, seconds(60));
        victim.start(); // back for the next run
      }
    }
    List<Long> sorted = millis.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    String report = "recovery after kill -9, " + runs + " runs (ms): " + millis + "; median " + median + " ms\n";
    System.out.print(report);
    Files.writeString(Path.of("target", "recovery-bench.txt"), report);
  }
}
