package dev.taskhub.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a task. This enum owns the allowed transitions; the store guards every UPDATE with the state it
 * expects, so a transition that is not listed here cannot happen in the database either.
 */
public enum TaskState {
  WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED;

  public boolean isFinal() {
    return this == DONE || this == ERROR || this == CANCELLED;
  }

  public Set<TaskState> next() {
    return switch (this) {
      case WAITING -> EnumSet.of(READY, CANCELLED);
      case SUSPENDED -> EnumSet.of(READY, CANCELLED);
      case READY -> EnumSet.of(RUNNING, SUSPENDED, CANCELLED);
      case RUNNING -> EnumSet.of(DONE, ERROR, CANCELLED, READY);
      case DONE, ERROR, CANCELLED -> EnumSet.noneOf(TaskState.class);
    };
  }

  public boolean canBecome(TaskState target) {
    return next().contains(target);
  }

  public static TaskState parse(String name) {
    for (TaskState s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw Failure.BAD_REQUEST.exception("unknown state '" + name + "': use one of WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED");
  }
}
