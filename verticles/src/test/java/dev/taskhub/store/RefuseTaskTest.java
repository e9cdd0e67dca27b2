package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Failure;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefuseTaskTest extends StoreTest {
  private final JsonObject error = new JsonObject().put("type", "DataTooLargeForArguments").put("message", "too large");

  @Test
  void aRefusedTaskEndsErrorAtOnceWhateverAttemptsRemainAndItsDependentsAreSettled() {
    long id = register(new JsonObject().put("type", "t").put("maxAttempts", 5)).id();
    long next = register(new JsonObject().put("type", "after").put("dependsOn", new JsonArray().add(id)).put("runIf", "always")).id();
    Claim claim = claim("agent-1");

    RefuseTask.Refused refused = store.refuseTask().refuse(id, claim.leaseToken(), error).await();

    assertThat(refused.task().state()).isEqualTo(TaskState.ERROR);
    assertThat(refused.task().attempts()).isEqualTo(1);
    assertThat(refused.task().error()).isEqualTo(error);
    assertThat(refused.task().finishedAt()).isNotNull();
    assertThat(refused.readyTypes()).containsExactly("after");
    assertThat(store.readTasks().get(next).await().state()).isEqualTo(TaskState.READY);
    assertThat(store.readTasks().log(id).await().log()).contains("not started: too large");
    assertThat(claim("agent-2", "t")).isNull();
  }

  @Test
  void aStaleLeaseRefusesNothing() {
    long id = register(new JsonObject().put("type", "t")).id();
    claim("agent-1");

    assertThatThrownBy(() -> store.refuseTask().refuse(id, "00000000-0000-0000-0000-000000000000", error).await())
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.CONFLICT));
    assertThat(store.readTasks().get(id).await().state()).isEqualTo(TaskState.RUNNING);
  }
}
