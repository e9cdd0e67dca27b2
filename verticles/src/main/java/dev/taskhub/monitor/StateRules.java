package dev.taskhub.monitor;

import dev.taskhub.api.TaskState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Collection;
import java.util.function.Predicate;

/**
 * The state rules the page needs, from {@link TaskState}, sent with every snapshot so that its scripts hold no copy:
 * {@code {"all": [states in the order of a task's life], "live": […], "queued": […], "final": […],
 * "actions": {"suspend": [states it applies to], …}}}.
 */
final class StateRules {
  private static final JsonObject RULES = new JsonObject()
      .put("all", states(s -> true))
      .put("live", states(TaskState::isLive))
      .put("queued", states(TaskState::isQueued))
      .put("final", states(TaskState::isFinal))
      .put("actions", actions());

  private StateRules() {
  }

  static JsonObject json() {
    return RULES.copy();
  }

  private static JsonArray states(Predicate<TaskState> rule) {
    return names(Arrays.stream(TaskState.values()).filter(rule).toList());
  }

  private static JsonObject actions() {
    JsonObject actions = new JsonObject();
    for (TaskState.Action action : TaskState.Action.values()) {
      actions.put(action.word(), names(action.from));
    }
    return actions;
  }

  private static JsonArray names(Collection<TaskState> states) {
    return new JsonArray(states.stream().map(Enum::name).toList());
  }
}
