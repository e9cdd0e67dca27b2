package dev.taskhub.cluster;

import dev.taskhub.testing.Api;
import dev.taskhub.testing.Executors;
import dev.taskhub.testing.Scrape;
import dev.taskhub.testing.TaskhubNode;
import dev.taskhub.testing.TestCluster;
import dev.taskhub.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static dev.taskhub.testing.TaskhubNode.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A type's limits across a cluster under contention: two nodes in two JVMs, each a hub with four agents, all able to
 * run the type, many tasks. The database is sampled while they run: never one RUNNING task more than the limit, the
 * limit used, every task DONE in the end; and the agents kept waiting do not ask again and again.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypeLimitTest {
  static final int AGENTS = 4;
  String db;
  TaskhubNode first;
  TaskhubNode second;

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    Executors executors = new Executors(dir.resolve("executors"))
        .script("limited", "sleep 0.3; echo 'ResultData: ok'")
        .script("pernode", "sleep 0.3; echo 'ResultData: ok'");
    TestCluster cluster = new TestCluster(2);
    db = TestDatabase.createDatabase();
    first = node("limits-first", dir, cluster, executors).start();
    second = node("limits-second", dir, cluster, executors).start();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  private TaskhubNode node(String name, Path dir, TestCluster cluster, Executors executors) throws Exception {
    return TaskhubNode.named(name, Files.createDirectories(dir.resolve(name))).database(db).cluster(cluster)
        .executors(executors.dir()).roles("hub,agents,http").set("agent.count", AGENTS);
  }

  @Test
  void maxRunningHoldsAcrossTwoNodesAndTwoHubsUnderContentionAndEveryTaskEndsDone() throws Exception {
    Api api = first.api();
    Api.Response put = second.api().put("/api/types/limited", "{\"maxRunning\": 2}");
    assertThat(put.status()).as(put.text()).isEqualTo(200);
    double emptyBefore = emptyClaims();

    List<Long> ids = new ArrayList<>();
    try (Sampler running = new Sampler(db, "SELECT count(*) FROM taskhub.task WHERE type = 'limited' AND state = 'RUNNING'")) {
      // Registered one by one, on both nodes, while the limit is reached: each registration is announced to nobody.
      for (int i = 0; i < 40; i++) {
        ids.add((i % 2 == 0 ? api : second.api()).submit(new JsonObject().put("type", "limited")).getLong("id"));
        Thread.sleep(25);
      }
      for (long id : ids) {
        assertThat(api.awaitEnd(id, seconds(120)).getString("state")).isEqualTo("DONE");
      }
      assertThat(running.most()).as("RUNNING tasks of the type, sampled every 20 ms (%d samples)", running.samples())
          .isEqualTo(2);
    }
    double empty = emptyClaims() - emptyBefore;
    System.out.printf("TypeLimitTest: %.0f claims answered with nothing for 40 tasks at maxRunning 2 with %d agents%n", empty, 2 * AGENTS);
    // Eight agents: six are told no when the first tasks come, and each agent once more when the queue runs dry.
    // Announcing every registration or every freed slot to all of them would cost hundreds.
    assertThat(empty).as("claims answered with nothing, for 40 tasks and 8 agents").isLessThanOrEqualTo(4.0 * 2 * AGENTS);
    JsonObject type = api.get("/api/types/limited").json();
    assertThat(type.getJsonObject("settings").getInteger("maxRunning")).isEqualTo(2);
    // The counts are each hub's, corrected by the periodic count of the table (metrics.reconcileSeconds).
    await().atMost(seconds(30)).until(() -> api.get("/api/types/limited").json().getJsonObject("counts").getLong("DONE") == 40);
    assertThat(type.getJsonArray("nodes")).hasSize(2).allSatisfy(n -> assertThat(((JsonObject) n).getBoolean("executor")).isTrue());
  }

  @Test
  void maxRunningPerNodeHoldsOnEachNodeWhileBothNodesWork() throws Exception {
    Api api = second.api();
    assertThat(api.put("/api/types/pernode", "{\"maxRunningPerNode\": 1}").status()).isEqualTo(200);

    List<Long> ids = new ArrayList<>();
    try (Sampler perNode = new Sampler(db, "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM taskhub.task "
        + "WHERE type = 'pernode' AND state = 'RUNNING' GROUP BY node) AS by_node");
         Sampler total = new Sampler(db, "SELECT count(*) FROM taskhub.task WHERE type = 'pernode' AND state = 'RUNNING'")) {
      for (int i = 0; i < 16; i++) {
        ids.add(api.submit(new JsonObject().put("type", "pernode")).getLong("id"));
      }
      for (long id : ids) {
        assertThat(api.awaitEnd(id, seconds(120)).getString("state")).isEqualTo("DONE");
      }
      assertThat(perNode.most()).as("RUNNING on one node (%d samples)", perNode.samples()).isEqualTo(1);
      assertThat(total.most()).as("both nodes work at once").isEqualTo(2);
    }
    List<String> nodes = ids.stream().map(id -> api.task(id).getString("node")).distinct().toList();
    assertThat(nodes).containsExactlyInAnyOrder(first.nodeId(), second.nodeId());
  }

  /** Claims answered with nothing, by both hubs (taskhub_claims_empty_total). */
  private double emptyClaims() {
    double sum = 0;
    for (TaskhubNode node : List.of(first, second)) {
      Double value = new Scrape(node.api().get("/metrics").text()).value("taskhub_claims_empty_total");
      sum += value == null ? 0 : value;
    }
    return sum;
  }

  /** Runs a count in the database every 20 ms on a thread of its own, keeping the highest. */
  static final class Sampler implements AutoCloseable {
    private final Connection connection;
    private final Thread thread;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong most = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile Exception failed;

    Sampler(String db, String sql) throws Exception {
      connection = TestDatabase.connect(db);
      thread = new Thread(() -> {
        try (Statement statement = connection.createStatement()) {
          while (!stop.get()) {
            try (ResultSet rows = statement.executeQuery(sql)) {
              rows.next();
              most.accumulateAndGet(rows.getLong(1), Math::max);
              samples.incrementAndGet();
            }
            Thread.sleep(20);
          }
        } catch (Exception e) {
          failed = e;
        }
      }, "sampler");
      thread.start();
    }

    long most() throws Exception {
      if (failed != null) {
        throw failed;
      }
      return most.get();
    }

    long samples() {
      return samples.get();
    }

    @Override
    public void close() throws Exception {
      stop.set(true);
      thread.join(5_000);
      connection.close();
    }
  }
}
