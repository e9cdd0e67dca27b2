package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.CompletionReport;
import dev.taskhub.api.Task;
import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SettleDependentsTest extends StoreTest {

  @Test
  void aDependentWaitsForItsPredecessorsAndRunsOnlyIfTheySucceeded() {
    long a = register(new JsonObject().put("type", "t")).id();
    long b = register(new JsonObject().put("type", "t")).id();
    Task onSuccess = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a).add(b)));
    Task always = register(new JsonObject().put("type", "t").put("dependsOn", new JsonArray().add(a).add(b)).put("runIf", "always"));
    assertThat(onSuccess.state()).isEqualTo(TaskState.WAITING);

    Claim ca = claim("agent-1");
    Claim cb = claim("agent-2");
    assertThat(Set.of(ca.task().id(), cb.task().id())).isEqualTo(Set.of(a, b));
    CompleteAttempt.Completed first = store.completeAttempt().complete(succeeded(ca)).await();
    assertThat(first.readyTypes()).isEmpty();
    assertThat(store.readTasks().get(onSuccess.id()).await().state()).isEqualTo(TaskState.WAITING);

    CompleteAttempt.Completed second = store.completeAttempt().complete(new CompletionReport(cb.task().id(), cb.leaseToken(), false, 1, null,
        new JsonObject().put("message", "failed"), null, null, null)).await();

    assertThat(second.readyTypes()).containsExactly("t");
    Task cancelled = store.readTasks().get(onSuccess.id()).await();
    assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(cancelled.error().getString("type")).isEqualTo("DependencyFailed");
    assertThat(store.readTasks().get(always.id()).await().state()).isEqualTo(TaskState.READY);
  }
}
