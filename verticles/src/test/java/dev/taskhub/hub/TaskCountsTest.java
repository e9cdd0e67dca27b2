package dev.taskhub.hub;

import dev.taskhub.api.Priority;
import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskCountsTest {
  private final List<String> newTypes = new ArrayList<>();
  private final TaskCounts counts = new TaskCounts(newTypes::add);

  @Test
  void transitionsMoveTheCountsAndEachTypeIsAnnouncedOnce() {
    counts.add("demo", Priority.Normal, TaskState.READY, 2);
    counts.move("demo", Priority.Normal, TaskState.READY, TaskState.RUNNING);
    counts.move("demo", Priority.Normal, TaskState.RUNNING, TaskState.DONE);
    counts.add("other", Priority.Important, TaskState.WAITING, 1);

    assertThat(counts.count("demo", TaskState.READY)).isEqualTo(1);
    assertThat(counts.count("demo", TaskState.DONE)).isEqualTo(1);
    assertThat(counts.count("demo", TaskState.RUNNING)).isZero();
    assertThat(newTypes).containsExactly("demo", "other");
    JsonObject stats = counts.statsJson();
    assertThat(stats.getJsonObject("byState").getLong("READY")).isEqualTo(1);
    assertThat(stats.getJsonObject("byState").getLong("CANCELLED")).as("every state is named").isZero();
    assertThat(stats.getJsonObject("byPriority").getJsonObject("Important").getLong("WAITING")).isEqualTo(1);
    assertThat(stats.getJsonObject("byType").getJsonObject("demo").getMap()).containsOnlyKeys("READY", "DONE");
  }

  @Test
  void aReconciliationReplacesEveryCountAndADriftNeverShowsBelowZero() {
    counts.add("demo", Priority.Normal, TaskState.READY, 5);
    counts.move("gone", Priority.Normal, TaskState.RUNNING, TaskState.DONE); // a task another hub claimed
    assertThat(counts.count("gone", TaskState.RUNNING)).isZero();

    counts.replace(new JsonArray().add(new JsonArray().add("gone").add(Priority.Normal.rank).add("DONE").add(7)));

    assertThat(counts.count("demo", TaskState.READY)).as("absent from the count: none left").isZero();
    assertThat(counts.count("gone", TaskState.DONE)).isEqualTo(7);
    assertThat(counts.count("gone", TaskState.RUNNING)).isZero();
    assertThat(counts.statsJson().getJsonObject("byState").getLong("DONE")).isEqualTo(7);
  }

  @Test
  void anotherHubsMovesReachThisHubsCounts() {
    TaskCounts other = new TaskCounts(type -> { });
    other.add("demo", Priority.Normal, TaskState.READY, 3);
    other.move("demo", Priority.Normal, TaskState.READY, TaskState.RUNNING);
    counts.add("demo", Priority.Normal, TaskState.READY, 1);

    counts.apply(other.drainMoves());

    assertThat(counts.count("demo", TaskState.READY)).isEqualTo(3);
    assertThat(counts.count("demo", TaskState.RUNNING)).isEqualTo(1);
    assertThat(other.drainMoves()).as("moves are told once").isNull();
    assertThat(counts.drainMoves().getJsonArray("demo").getLong(Priority.Normal.ordinal() * TaskState.values().length
        + TaskState.READY.ordinal())).as("what it applied is not told again").isEqualTo(1);
  }
}
