package dev.taskhub.api;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The life of a task. This enum owns the allowed transitions, and which states each user request applies to; the
 * store guards every UPDATE with the states named here, so a transition that is not listed here cannot happen in
 * the database either.
 */
public enum TaskState {
  WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED;

  /** DONE, ERROR and CANCELLED: nothing changes them on its own; only a user's {@link Action#RETRY} reopens them. */
  public boolean isFinal() {
    return this == DONE || this == ERROR || this == CANCELLED;
  }

  public Set<TaskState> next() {
    return switch (this) {
      case WAITING -> EnumSet.of(READY, CANCELLED);
      case SUSPENDED -> EnumSet.of(READY, CANCELLED);
      case READY -> EnumSet.of(RUNNING, SUSPENDED, CANCELLED);
      case RUNNING -> EnumSet.of(DONE, ERROR, CANCELLED, READY);
      case DONE, ERROR, CANCELLED -> EnumSet.of(READY); // retry
    };
  }

  public boolean canBecome(TaskState target) {
    return next().contains(target);
  }

  /** A task's priority may change until it ends; for a RUNNING task it matters only if the task runs again. */
  public boolean canChangePriority() {
    return !isFinal();
  }

  /** Anything but a RUNNING task may be deleted: its executor must be cancelled first, so nothing runs unrecorded. */
  public boolean canBeDeleted() {
    return this != RUNNING;
  }

  /** The states matching a rule, for a guarded UPDATE ({@code state = ANY($n)}). */
  public static String[] where(Predicate<TaskState> rule) {
    return Arrays.stream(values()).filter(rule).map(Enum::name).toArray(String[]::new);
  }

  public static TaskState parse(String name) {
    for (TaskState s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return s;
      }
    }
    throw Failure.BAD_REQUEST.exception("unknown state '" + name + "': use one of WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED");
  }

  /** What a user may ask of a task ({@code PATCH {"action": …}}): the states it applies to and the state it leads to. */
  public enum Action {
    SUSPEND(SUSPENDED, READY),
    RESUME(READY, SUSPENDED),
    /** A RUNNING task's executor is killed by its agent at once. */
    CANCEL(CANCELLED, WAITING, SUSPENDED, READY, RUNNING),
    /** A finished task runs again from its first attempt. */
    RETRY(READY, DONE, ERROR, CANCELLED);

    public final TaskState target;
    public final Set<TaskState> from;

    Action(TaskState target, TaskState first, TaskState... rest) {
      this.target = target;
      this.from = EnumSet.of(first, rest);
    }

    /** The lower-case name used on every interface: suspend, resume, cancel, retry. */
    public String word() {
      return name().toLowerCase();
    }

    public String[] fromNames() {
      return from.stream().map(Enum::name).toArray(String[]::new);
    }

    /** Why the action does not apply to a task in {@code current}, for a 409. */
    public String refusal(long id, TaskState current) {
      List<String> names = from.stream().map(Enum::name).toList();
      String states = names.size() == 1 ? names.get(0)
          : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
      return "task " + id + " is " + current + ": only a task that is " + states + " can be " + pastTense();
    }

    private String pastTense() {
      return switch (this) {
        case SUSPEND -> "suspended";
        case RESUME -> "resumed";
        case CANCEL -> "cancelled";
        case RETRY -> "retried";
      };
    }

    public static Action parse(String word) {
      for (Action a : values()) {
        if (a.word().equals(word)) {
          return a;
        }
      }
      throw Failure.BAD_REQUEST.exception("unknown action '" + word + "': use one of suspend, resume, cancel, retry");
    }
  }
}
