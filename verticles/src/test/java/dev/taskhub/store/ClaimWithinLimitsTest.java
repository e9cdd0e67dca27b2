package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.TaskSpec;
import dev.taskhub.api.TypeSettings;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A type's {@code maxRunning} and {@code maxRunningPerNode} hold under concurrent claimers: batches of agents on
 * several nodes, claiming through two stores at once (two hubs, two connection pools), never take one task more than
 * the limits leave room for, and the type's tasks all run in the end.
 */
class ClaimWithinLimitsTest extends StoreTest {

  @Test
  void concurrentClaimersOfTwoHubsNeverRunMoreThanMaxRunningAndEveryTaskRunsInTheEnd() {
    registerMany("t", 120);
    limit("t", new JsonObject().put("maxRunning", 3));
    Store otherHub = Store.open(vertx, url, 8, 10_000);
    Random random = new Random(7);

    List<Claim> running = new ArrayList<>();
    int done = 0;
    int most = 0;
    while (done < 120) {
      // 24 batches of 1 to 4 agents on three nodes, half through each hub, all at once
      List<Future<List<Claim>>> rounds = new ArrayList<>();
      for (int b = 0; b < 24; b++) {
        List<ClaimRequest> batch = new ArrayList<>();
        for (int a = 0; a <= b % 4; a++) {
          batch.add(new ClaimRequest("agent-" + b + "-" + a, "node-" + (b % 3), List.of("t")));
        }
        rounds.add((b % 2 == 0 ? store : otherHub).claimWithinLimits().claim(batch, 30));
      }
      Future.all(rounds).await();
      rounds.forEach(r -> r.result().stream().filter(Objects::nonNull).forEach(running::add));
      long runningNow = count("SELECT count(*) FROM taskhub.task WHERE type = 't' AND state = 'RUNNING'");
      assertThat(runningNow).as("RUNNING after a round of concurrent claims").isLessThanOrEqualTo(3).isEqualTo(running.size());
      most = Math.max(most, running.size());
      // some of them end, making room for the next round
      int ending = 1 + random.nextInt(running.size());
      for (int i = 0; i < ending; i++) {
        store.completeAttempt().complete(succeeded(running.remove(0))).await();
        done++;
      }
    }
    assertThat(most).as("the limit is used, not only kept").isEqualTo(3);
    assertThat(count("SELECT count(*) FROM taskhub.task WHERE type = 't' AND state = 'DONE'")).isEqualTo(120);
  }

  @Test
  void maxRunningPerNodeHoldsOnEachNodeAndTheOthersStillClaim() {
    registerMany("t", 40);
    limit("t", new JsonObject().put("maxRunningPerNode", 2));

    List<Future<List<Claim>>> rounds = new ArrayList<>();
    for (int b = 0; b < 12; b++) {
      List<ClaimRequest> batch = new ArrayList<>();
      for (int a = 0; a < 3; a++) {
        batch.add(new ClaimRequest("agent-" + b + "-" + a, "node-" + ((b + a) % 3), List.of("t"))); // nodes mixed in a batch
      }
      rounds.add(store.claimWithinLimits().claim(batch, 30));
    }
    Future.all(rounds).await();

    Map<String, Long> byNode = new TreeMap<>();
    pool().query("SELECT node, count(*) FROM taskhub.task WHERE state = 'RUNNING' GROUP BY node").execute().await()
        .forEach(r -> byNode.put(r.getString(0), r.getLong(1)));
    assertThat(byNode).containsExactly(Map.entry("node-0", 2L), Map.entry("node-1", 2L), Map.entry("node-2", 2L));
  }

  @Test
  void bothLimitsTogetherAndZeroHoldsEveryTaskReady() {
    registerMany("t", 10);
    limit("t", new JsonObject().put("maxRunning", 0));
    assertThat(claimOn("node-1", 4, "t")).as("maxRunning 0: nothing starts").allMatch(Objects::isNull);

    limit("t", new JsonObject().put("maxRunning", 3).put("maxRunningPerNode", 2));
    assertThat(claimOn("node-1", 4, "t")).filteredOn(Objects::nonNull).hasSize(2);
    assertThat(claimOn("node-2", 4, "t")).as("the cluster's third").filteredOn(Objects::nonNull).hasSize(1);
    assertThat(claimOn("node-3", 4, "t")).filteredOn(Objects::nonNull).isEmpty();
  }

  @Test
  void anAgentOfSeveralTypesGetsTheMostUrgentTaskAmongThoseWithRoom() {
    long limitedUrgent = register(new JsonObject().put("type", "limited").put("priority", "Immediately")).id();
    long limitedNext = register(new JsonObject().put("type", "limited").put("priority", "Immediately")).id();
    long free = register(new JsonObject().put("type", "free").put("priority", "Important")).id();
    limit("limited", new JsonObject().put("maxRunning", 1));

    List<Claim> claims = claimOn("node-1", 3, "limited", "free");

    assertThat(claims).extracting(c -> c == null ? null : c.task().id()).containsExactly(limitedUrgent, free, null);
    assertThat(count("SELECT count(*) FROM taskhub.task WHERE id = " + limitedNext + " AND state = 'READY'")).isEqualTo(1);
  }

  @Test
  void theOneStatementClaimLeavesALimitedTypeAloneAndCostsOneStatementStill() {
    register(new JsonObject().put("type", "limited"));
    long other = register(new JsonObject().put("type", "other")).id();
    limit("limited", new JsonObject().put("maxRunning", 5));
    limit("defaults-only", new JsonObject().put("maxAttempts", 3)); // settings without a limit change nothing here

    long before = Store.statementsSent();
    Claim claim = store.claimTask().claim(new ClaimRequest("a", "node-1", List.of("limited", "other", "defaults-only")), 30).await();
    long statements = Store.statementsSent() - before;

    assertThat(claim.task().id()).isEqualTo(other);
    assertThat(statements).isEqualTo(1);
    assertThat(claim("b", "limited")).as("a hub that has not heard of the limit yet claims nothing of it").isNull();
  }

  @Test
  void aLimitClearedByNullLetsTheOneStatementClaimTakeTheTypeAgain() {
    register(new JsonObject().put("type", "t"));
    limit("t", new JsonObject().put("maxRunning", 0));
    assertThat(claim("a")).isNull();

    limit("t", new JsonObject().put("maxRunning", null));

    assertThat(claim("a")).isNotNull();
  }

  @Test
  void bothClaimsArePreparedOncePerConnectionNotParsedAgainAtEveryClaim() {
    // A statement over the client's cache limit (2048 characters by default) is parsed again at every execution, in a
    // transaction of its own: both claims are longer than that.
    Pool oneConnection = Database.pool(vertx, url, 1);
    register(new JsonObject().put("type", "t"));
    register(new JsonObject().put("type", "limited"));
    limit("limited", new JsonObject().put("maxRunning", 1));
    new ClaimTask(oneConnection, 10_000).claim(new ClaimRequest("a", "node-1", List.of("t")), 30).await();
    new ClaimWithinLimits(oneConnection, 10_000).claim(List.of(new ClaimRequest("b", "node-1", List.of("limited"))), 30).await();

    long prepared = oneConnection.query("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'WITH wanted AS%'")
        .execute().await().iterator().next().getLong(0);

    assertThat(prepared).as("the two claims among the connection's prepared statements").isEqualTo(2);
  }

  private List<Claim> claimOn(String node, int agents, String... types) {
    List<ClaimRequest> batch = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      batch.add(new ClaimRequest(node + "-agent-" + a, node, List.of(types)));
    }
    return store.claimWithinLimits().claim(batch, 30).await();
  }

  private void registerMany(String type, int n) {
    JsonArray specs = new JsonArray();
    for (int i = 0; i < n; i++) {
      specs.add(new JsonObject().put("type", type));
    }
    store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();
  }

  private void limit(String type, JsonObject settings) {
    store.changeTypeSettings().put(TypeSettings.Change.fromJson(type, settings)).await();
  }

  private Pool pool() {
    return Database.pool(vertx, url, 1);
  }

  private long count(String sql) {
    return pool().query(sql).execute().await().iterator().next().getLong(0);
  }
}
