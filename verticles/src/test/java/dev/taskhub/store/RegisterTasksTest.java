package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegisterTasksTest extends StoreTest {

  @Test
  void aSecondLiveTaskWithTheSameKeyIsNotCreatedButTheFirstIsReturned() {
    Task first = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    Task again = register(new JsonObject().put("type", "t").put("key", "invoice-42"));

    assertThat(again.id()).isEqualTo(first.id());
    Claim claim = claim("agent-1");
    store.completeAttempt().complete(succeeded(claim)).await();
    Task afterTheFirstEnded = register(new JsonObject().put("type", "t").put("key", "invoice-42"));
    assertThat(afterTheFirstEnded.id()).isNotEqualTo(first.id());
  }

  @Test
  void aTaskWhosePredecessorsAlreadyEndedIsReadyAtOnce() {
    long a = register(new JsonObject().put("type", "t")).id();
    Claim ca = claim("agent-1");
    store.completeAttempt().complete(succeeded(ca)).await();

    Task dependent = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a)));

    assertThat(dependent.state()).isEqualTo(TaskState.READY);
  }
}
