package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReleaseTasksTest extends StoreTest {

  @Test
  void anExpiredLeaseIsReleasedAndTheOldHolderIsFencedOff() {
    long id = register(new JsonObject().put("type", "t")).id();
    Claim first = expiringClaim("agent-1");

    List<Task> released = store.releaseTasks().expiredLeases(3).await().tasks();
    assertThat(released).extracting(Task::id).containsExactly(id);
    assertThat(released.get(0).state()).isEqualTo(TaskState.READY);
    Claim second = claim("agent-2");

    assertThat(second.task().id()).isEqualTo(id);
    assertThat(second.task().attempts()).isEqualTo(2);
    assertThatThrownBy(() -> store.completeAttempt().complete(new CompletionReport(id, first.leaseToken(), true, 0, "stale", null, null, null, null)).await())
        .isInstanceOf(TaskhubException.class);
  }

  @Test
  void aTaskWhoseNodeIsLostMaxLostAttemptsTimesEndsErrorNodeLostAndIsFinalized() {
    long id = register(new JsonObject().put("type", "t").put("maxAttempts", 1)).id();

    expiringClaim("agent-1");
    assertThat(store.releaseTasks().expiredLeases(3).await().requeued()).extracting(Task::id).containsExactly(id);
    claim("agent-2", "node-2");
    assertThat(store.releaseTasks().ofNode("node-2", 3).await().requeued()).extracting(Task::id).containsExactly(id);
    expiringClaim("agent-3");
    ReleaseTasks.Released third = store.releaseTasks().expiredLeases(3).await();

    assertThat(third.requeued()).isEmpty();
    Task ended = third.ended().get(0);
    assertThat(ended.id()).isEqualTo(id);
    assertThat(ended.state()).isEqualTo(TaskState.ERROR);
    assertThat(ended.error().getString("type")).isEqualTo("NodeLost");
    assertThat(ended.error().getString("message")).contains("lost 3 times").contains("task.maxLostAttempts 3");
    assertThat(ended.finishedAt()).isNotNull();
    assertThat(ended.attempts()).isEqualTo(3);
    assertThat(ended.agent()).isEqualTo("agent-3"); // who ran it last
    assertThat(claim("agent-4")).isNull();
    assertThat(store.readTasks().log(id).await().log())
        .contains("expired: released").contains("left the cluster: released").contains("ERROR (NodeLost)");
    // Nothing finalizes type "t" (no Java finalizer, no finalizeUrl): no row; its hub publishes the ending itself.
    assertThat(scalar("SELECT count(*) FROM taskhub.finalization WHERE task_id = " + id)).isZero();
  }

  @Test
  void anAgentsOwnReleaseDoesNotCountAsALostNode() {
    long id = register(new JsonObject().put("type", "t")).id();
    for (int i = 0; i < 3; i++) {
      Claim c = claim("agent-1");
      store.releaseTasks().byAgent(id, c.leaseToken(), "agent agent-1 stopped").await();
    }
    expiringClaim("agent-1");

    ReleaseTasks.Released released = store.releaseTasks().expiredLeases(2).await();

    assertThat(released.requeued()).extracting(Task::id).containsExactly(id); // the first loss of two allowed
  }

  @Test
  void theDependentsOfATaskThatEndedNodeLostAreSettledInTheSameTransaction() {
    long id = register(new JsonObject().put("type", "t")).id();
    long onSuccess = register(new JsonObject().put("type", "next").put("dependsOn", new JsonArray().add(id))).id();
    long always = register(new JsonObject().put("type", "cleanup").put("dependsOn", new JsonArray().add(id)).put("runIf", "always")).id();
    expiringClaim("agent-1");

    ReleaseTasks.Released released = store.releaseTasks().expiredLeases(1).await();

    assertThat(released.ended()).extracting(Task::id).containsExactly(id);
    assertThat(released.readyTypes()).containsExactly("cleanup");
    assertThat(store.readTasks().get(onSuccess).await().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(store.readTasks().get(always).await().state()).isEqualTo(TaskState.READY);
  }

  @Test
  void anOperatorsRetryStartsTheCountOfLostNodesAgain() {
    long id = register(new JsonObject().put("type", "t")).id();
    expiringClaim("agent-1");
    assertThat(store.releaseTasks().expiredLeases(1).await().ended()).extracting(Task::id).containsExactly(id);

    store.changeTasks().apply(id, TaskState.Action.RETRY).await();
    expiringClaim("agent-1");

    assertThat(store.releaseTasks().expiredLeases(2).await().requeued()).extracting(Task::id).containsExactly(id);
  }

  /** A claim whose lease has run out by the next statement: its agent is as good as lost. */
  private Claim expiringClaim(String agent) {
    return store.claimTask().claim(new ClaimRequest(agent, "node-1", List.of("t")), 0).await();
  }

  private Claim claim(String agent, String node) {
    return store.claimTask().claim(new ClaimRequest(agent, node, List.of("t")), 30).await();
  }

  private long scalar(String sql) {
    return Database.pool(vertx, url, 1).query(sql).execute().await().iterator().next().getLong(0);
  }
}
