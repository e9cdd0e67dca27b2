package dev.taskhub.store;

import dev.taskhub.api.Failure;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangeTasksTest extends StoreTest {

  @Test
  void anEndedTaskIsNotRetriedWhileAnotherLiveTaskHoldsItsKey() {
    Task first = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    store.completeAttempt().complete(succeeded(claim("agent-1"))).await();
    Task second = register(new JsonObject().put("type", "t").put("key", "invoice-42"));

    assertThatThrownBy(() -> store.changeTasks().apply(first.id(), TaskState.Action.RETRY).await())
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.CONFLICT))
        .hasMessageContaining("another live task holds its key");

    store.changeTasks().apply(second.id(), TaskState.Action.CANCEL).await();
    assertThat(store.changeTasks().apply(first.id(), TaskState.Action.RETRY).await().task().state()).isEqualTo(TaskState.READY);
  }
}
