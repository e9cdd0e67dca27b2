package dev.taskhub.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStateTest {

  @Test
  void everyActionIsATransitionTheStateTableAllows() {
    for (TaskState.Action action : TaskState.Action.values()) {
      for (TaskState from : action.from) {
        assertThat(from.canBecome(action.target)).as(action + " from " + from).isTrue();
      }
    }
  }

  @Test
  void onlyARetryReopensAFinishedTask() {
    for (TaskState state : TaskState.values()) {
      if (state.isFinal()) {
        assertThat(state.next()).containsExactly(TaskState.READY);
        assertThat(TaskState.Action.RETRY.from).contains(state);
        assertThat(state.canChangePriority()).isFalse();
      }
    }
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
    assertThatThrownBy(() -> TaskState.Action.parse("explode")).isInstanceOf(TaskhubException.class);
  }
}
