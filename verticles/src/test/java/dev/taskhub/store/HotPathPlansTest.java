package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.TaskSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The claim and the completion, a task's two statements, are planned once per connection, not at every execution:
 * PostgreSQL kept planning the claim for its arguments, and planning cost more than running it.
 */
class HotPathPlansTest extends StoreTest {

  @Test
  void claimsAndCompletionsAreNotPlannedAgainAtEveryExecution() {
    assertThat(plansOfTenTasks(Database.genericPlanPool(vertx, url, 1)))
        .containsEntry("WITH wanted AS (  SELECT agent", "10 generic, 0 custom")
        .containsEntry("UPDATE taskhub.task t SET stat", "10 generic, 0 custom")
        .containsEntry("WITH settled AS (  SELECT t.id", "10 generic, 0 custom");
  }

  @Test
  void theHotPathIsNeverCompiledWithLlvm() {
    // A generic plan is costed for arguments it cannot see: with a million READY tasks the claim's estimate passed
    // jit_above_cost, and compiling it took 65 ms at every execution.
    Pool one = Database.genericPlanPool(vertx, url, 1);
    Row settings = one.query("SELECT current_setting('jit') AS jit, current_setting('plan_cache_mode') AS plans").execute().await()
        .iterator().next();
    one.close().await();
    assertThat(settings.getString("jit")).isEqualTo("off");
    assertThat(settings.getString("plans")).isEqualTo("force_generic_plan");
  }

  @Test
  void leftToItselfPostgresqlPlansTheClaimForItsArgumentsEveryTime() {
    assertThat(plansOfTenTasks(Database.pool(vertx, url, 1))).containsEntry("WITH wanted AS (  SELECT agent", "0 generic, 10 custom");
  }

  @Test
  void aCompletionFindsItsTasksByKeyHoweverManyTasksRanBefore() {
    // 2,000 tasks ran (each left a dead entry in the RUNNING range of the partial indexes), 8 run now, and the
    // statistics know it: the completion must still go to its rows by primary key, not read that range.
    JsonArray specs = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      specs.add(new JsonObject().put("type", "t"));
    }
    for (int round = 0; round < 2; round++) {
      store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();
    }
    List<ClaimRequest> agents = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      agents.add(new ClaimRequest("agent-" + i, "node-1", List.of("t")));
    }
    for (int round = 0; round < 20; round++) {
      List<CompletionReport> done = new ArrayList<>();
      for (Claim claim : store.claimTask().claim(agents, 30).await()) {
        done.add(new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0, null, null, null, null, null));
      }
      store.completeAttempt().complete(done).await();
    }
    for (int i = 0; i < 8; i++) {
      claim("agent-" + i);
    }
    Pool one = Database.genericPlanPool(vertx, url, 1);
    String plan = one.withConnection(conn -> conn.query("ANALYZE taskhub.task").execute()
        .compose(x -> conn.query("PREPARE complete AS " + CompleteAttempt.COMPLETE).execute())
        .compose(x -> conn.query("EXPLAIN EXECUTE complete('{1}', '{00000000-0000-0000-0000-000000000001}', '{t}', '{0}', "
            + "'{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', 1000)").execute())).await()
        .stream().map(r -> r.getString(0)).collect(java.util.stream.Collectors.joining("\n"));
    one.close().await();
    assertThat(plan).contains("task_pkey").doesNotContain("task_running").doesNotContain("task_state_id");
  }

  @Test
  void onlyARunningTaskHoldsALeaseToken() {
    long id = register(new JsonObject().put("type", "t")).id();
    Pool one = Database.pool(vertx, url, 1);
    assertThatThrownBy(() -> one.query("UPDATE taskhub.task SET state = 'RUNNING' WHERE id = " + id).execute().await())
        .hasMessageContaining("task_lease_token_while_running");
    assertThatThrownBy(() -> one.query("UPDATE taskhub.task SET lease_token = gen_random_uuid() WHERE id = " + id)
        .execute().await()).hasMessageContaining("task_lease_token_while_running");
    one.close().await();
  }

  /**
   * Registers, claims and completes ten tasks on {@code one}, a pool of one connection, and returns how that connection
   * planned each prepared statement (pg_prepared_statements shows a session its own).
   */
  Map<String, String> plansOfTenTasks(Pool one) {
    JsonArray specs = new JsonArray();
    for (int i = 0; i < 10; i++) {
      specs.add(new JsonObject().put("type", "t"));
    }
    store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();
    ClaimTask claims = new ClaimTask(one, 10_000);
    CompleteAttempt completions = new CompleteAttempt(one, 10_000);
    List<Long> claimed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Claim claim = claims.claim(new ClaimRequest("agent-" + i, "node-1", List.of("t")), 30).await();
      claimed.add(claim.task().id());
      completions.complete(new CompletionReport(claim.task().id(), claim.leaseToken(), true, 0, null, null, null, null, null)).await();
    }
    assertThat(claimed).doesNotHaveDuplicates();

    Map<String, String> plans = new TreeMap<>();
    for (Row r : one.query("SELECT left(statement, 30) AS s, generic_plans, custom_plans FROM pg_prepared_statements").execute().await()) {
      plans.put(r.getString("s"), r.getLong("generic_plans") + " generic, " + r.getLong("custom_plans") + " custom");
    }
    one.close().await();
    return plans;
  }
}
