package dev.taskhub.monitor;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskBoardTest {
  private final TaskBoard board = new TaskBoard(3, 3, 2);

  private static JsonObject task(long id, String state) {
    return new JsonObject().put("id", id).put("type", "report").put("state", state).put("priority", "Normal")
        .put("data", new JsonObject().put("big", "x".repeat(1000))).put("resultData", "r").putNull("tag");
  }

  private static List<Long> ids(JsonArray tasks) {
    return tasks.stream().map(t -> ((JsonObject) t).getLong("id")).toList();
  }

  @Test
  void anUpdateCarriesOnlyTheTasksThatChangedSinceTheLastOne() {
    board.apply(task(1, "READY"), false);
    board.apply(task(2, "READY"), false);
    assertThat(ids(board.drainChanges().getJsonArray("tasks"))).containsExactly(1L, 2L);
    assertThat(board.drainChanges()).isNull();

    board.apply(task(2, "RUNNING").put("progress", 40.0), true);
    JsonObject changes = board.drainChanges();
    assertThat(ids(changes.getJsonArray("tasks"))).containsExactly(2L);
    assertThat(changes.getJsonArray("tasks").getJsonObject(0).getDouble("progress")).isEqualTo(40.0);
  }

  @Test
  void theStreamViewLeavesOutDataResultsAndNulls() {
    board.apply(task(1, "ERROR").put("error", new JsonObject().put("type", "DiskFull").put("message", "no space")), false);
    JsonObject view = board.get(1);
    assertThat(view.fieldNames()).doesNotContain("data", "resultData", "tag");
    assertThat(view.getString("error")).isEqualTo("no space");
  }

  @Test
  void eachGroupIsBoundedAndWhatFallsOffIsReportedAsRemoved() {
    for (long id = 1; id <= 5; id++) {
      board.apply(task(id, "READY"), false);
    }
    assertThat(ids(board.all())).containsExactly(5L, 4L, 3L); // the newest queued stay
    JsonObject changes = board.drainChanges();
    assertThat(changes.getJsonArray("removed").getList()).containsExactly(1L, 2L);

    board.apply(task(3, "DONE"), false);
    board.apply(task(4, "DONE"), false);
    board.apply(task(5, "ERROR"), false);
    assertThat(ids(board.all())).containsExactly(5L, 4L); // the latest finished, latest first
  }

  @Test
  void aLateProgressReportDoesNotBringBackAFinishedTask() {
    board.apply(task(1, "DONE"), false);
    board.apply(task(1, "RUNNING").put("progress", 90.0), true);
    assertThat(board.get(1).getString("state")).isEqualTo("DONE");
  }

  @Test
  void aListFetchedBeforeAnEventDoesNotUndoIt() {
    board.apply(task(1, "RUNNING"), false);
    board.apply(task(2, "RUNNING"), false);
    long since = board.version();
    board.apply(task(1, "DONE"), false); // arrives while the list is on its way

    board.merge(List.of(task(1, "RUNNING"), task(3, "RUNNING")), since, true);

    assertThat(board.get(1).getString("state")).isEqualTo("DONE");
    assertThat(board.get(2)).as("running before, not listed now: its end was missed").isNull();
    assertThat(board.get(3).getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void aTaskShowsItsCurrentSubtaskAndItsOwnProgressButNotAFinishedOnes() {
    JsonObject running = new JsonObject().put("id", 7).put("type", "t").put("state", "RUNNING").put("app", "photos")
        .put("progressDetails", new JsonObject().put("subtask", new JsonObject().put("id", "resize").put("t", "Resizing"))
            .put("structured", new JsonObject().put("op", 3).put("opm", 10).put("p", 2).put("pm", 5).put("subtaskId", "resize")));
    JsonObject finished = running.copy();
    finished.getJsonObject("progressDetails").remove("subtask");

    assertThat(TaskBoard.compact(running).getJsonObject("subtask"))
        .isEqualTo(new JsonObject().put("t", "Resizing").put("p", 2).put("pm", 5));
    assertThat(TaskBoard.compact(running).getString("app")).isEqualTo("photos");
    assertThat(TaskBoard.compact(finished).getJsonObject("subtask")).as("progress of a subtask that finished").isNull();
    assertThat(TaskBoard.compact(new JsonObject().put("id", 8).put("type", "t").put("state", "READY")).containsKey("subtask")).isFalse();
  }
}
