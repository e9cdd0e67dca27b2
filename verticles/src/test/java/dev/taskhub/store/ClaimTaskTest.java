package dev.taskhub.store;

import dev.taskhub.api.Claim;
import dev.taskhub.api.ClaimRequest;
import dev.taskhub.api.TaskSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimTaskTest extends StoreTest {

  @Test
  void concurrentClaimersGetDisjointTasksAndEveryTaskOnce() {
    JsonArray specs = new JsonArray();
    for (int i = 0; i < 200; i++) {
      specs.add(new JsonObject().put("type", "t"));
    }
    store.registerTasks().register(TaskSpec.listFromJson(new JsonObject().put("tasks", specs), 1 << 20, 1000)).await();

    List<Future<Claim>> claims = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      claims.add(store.claimTask().claim(new ClaimRequest("agent-" + i, "node-1", List.of("t")), 30));
    }
    Future.join(claims).await();

    List<Long> ids = claims.stream().map(Future::result).filter(Objects::nonNull).map(c -> c.task().id()).toList();
    assertThat(ids).hasSize(200).doesNotHaveDuplicates();
  }

  @Test
  void anAgentGetsTheMostUrgentTaskAmongTheTypesItCanRunOnly() {
    long otherUrgent = register(new JsonObject().put("type", "other").put("priority", "Immediately")).id();
    long normal = register(new JsonObject().put("type", "t")).id();
    long important = register(new JsonObject().put("type", "t").put("priority", "Important")).id();
    long third = register(new JsonObject().put("type", "third").put("priority", "Important")).id();

    assertThat(claim("agent-1").task().id()).isEqualTo(important);
    assertThat(claim("agent-2", "t", "third", "other").task().id()).isEqualTo(otherUrgent);
    assertThat(claim("agent-3", "t", "third").task().id()).isEqualTo(third);
    assertThat(claim("agent-4").task().id()).isEqualTo(normal);
    assertThat(claim("agent-5")).isNull();
  }
}
