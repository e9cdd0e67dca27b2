package dev.taskhub.api;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStateTest {

  @Test
  void aTaskIsLiveUntilItEndsAndQueuedUntilItRuns() {
    assertThat(TaskState.LIVE).containsExactly(TaskState.WAITING, TaskState.SUSPENDED, TaskState.READY, TaskState.RUNNING);
    for (TaskState state : TaskState.values()) {
      assertThat(state.isLive()).as(state.name()).isEqualTo(!state.isFinal()).isEqualTo(TaskState.LIVE.contains(state));
      assertThat(state.isQueued()).as(state.name()).isEqualTo(state.isLive() && state != TaskState.RUNNING);
    }
  }

  @Test
  void onlyARetryReopensAFinishedTask() {
    for (TaskState state : TaskState.values()) {
      for (TaskState.Action action : TaskState.Action.values()) {
        if (state.isFinal() && action.from.contains(state)) {
          assertThat(action).as(state.name()).isEqualTo(TaskState.Action.RETRY);
        }
      }
      if (state.isFinal()) {
        assertThat(TaskState.Action.RETRY.from).contains(state);
        assertThat(state.canChangePriority()).isFalse();
      }
    }
    assertThat(TaskState.Action.RETRY.target).isEqualTo(TaskState.READY);
  }

  @Test
  void everyLiveTaskMayBeCancelled() {
    assertThat(TaskState.Action.CANCEL.from).containsExactlyElementsOf(TaskState.LIVE);
  }

  @Test
  void aRunningTaskIsNeverDeleted() {
    assertThat(TaskState.where(TaskState::canBeDeleted)).doesNotContain("RUNNING").hasSize(TaskState.values().length - 1);
  }

  @Test
  void aRefusalNamesTheStateAndWhatWouldBeNeeded() {
    assertThat(TaskState.Action.CANCEL.refusal(7, TaskState.DONE))
        .isEqualTo("task 7 is DONE: only a task that is WAITING, SUSPENDED, READY or RUNNING can be cancelled");
    assertThat(TaskState.Action.SUSPEND.refusal(7, TaskState.RUNNING))
        .isEqualTo("task 7 is RUNNING: only a task that is READY can be suspended");
    assertThatThrownBy(() -> TaskState.Action.parse("explode")).isInstanceOf(TaskhubException.class)
        .hasMessage("unknown action 'explode': use one of suspend, resume, cancel, retry");
  }

  @Test
  void aChangeIsAPriorityOrAnActionAndNothingElse() {
    assertThat(TaskState.Change.fromJson(new JsonObject().put("priority", "important")))
        .isEqualTo(new TaskState.Change(Priority.Important, null));
    assertThat(TaskState.Change.fromJson(new JsonObject().put("action", "cancel")).toJson())
        .isEqualTo(new JsonObject().put("action", "cancel"));

    assertRefused(new JsonObject(), "give either 'priority' or 'action' (suspend, resume, cancel, retry)");
    assertRefused(new JsonObject().put("priority", "Normal").put("action", "cancel"), "give either 'priority' or 'action'");
    assertRefused(new JsonObject().put("state", "DONE"), "unknown field 'state': use action, priority");
    assertRefused(new JsonObject().put("action", 1), "'action' must be a string, not 1");
    assertRefused(new JsonObject().put("action", "explode"), "'action' must be one of suspend, resume, cancel, retry, not 'explode'");
    assertRefused(new JsonObject().put("priority", "Urgent"), "unknown priority 'Urgent'");
    assertRefused(new JsonObject().put("priority", "x".repeat(33)), "'priority' is longer than 32 characters");
  }

  private static void assertRefused(JsonObject change, String message) {
    assertThatThrownBy(() -> TaskState.Change.fromJson(change)).as(change.encode())
        .isInstanceOfSatisfying(TaskhubException.class, e -> assertThat(e.failure()).isEqualTo(Failure.BAD_REQUEST))
        .hasMessageContaining(message);
  }
}
