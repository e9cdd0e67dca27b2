package dev.taskhub.api;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The life of a task, and the one source of its rules: which states are live, queued or final, which states each
 * user request applies to ({@link Action}, a priority change, a deletion). The store guards every UPDATE with the
 * states named here, and the monitor sends them to its page, so that nothing restates them.
 *
 * <p>The transitions: a new task starts WAITING, READY, or RUNNING when its registration hands it to a waiting agent;
 * WAITING→READY when its predecessors have ended; READY⇄SUSPENDED; READY→RUNNING (a claim);
 * RUNNING→DONE, ERROR or CANCELLED, or back to READY (released: a silent executor, a lost node, a retry after a
 * backoff); any live state→CANCELLED; a final state→READY only by a user's {@link Action#RETRY}. The user's side is
 * {@link Action}; the agent's side is the store's statements, each guarded by the state it expects and the lease.
 */
public enum TaskState {
  WAITING, SUSPENDED, READY, RUNNING, DONE, ERROR, CANCELLED;

  /** The states of a task that has not ended, in the order of its life. */
  public static final Set<TaskState> LIVE = Collections.unmodifiableSet(EnumSet.of(WAITING, SUSPENDED, READY, RUNNING));

  /** DONE, ERROR and CANCELLED: nothing changes them on its own; only a user's {@link Action#RETRY} reopens them. */
  public boolean isFinal() {
    return !LIVE.contains(this);
  }

  /** Not ended yet: queued or running. */
  public boolean isLive() {
    return LIVE.contains(this);
  }

  /** Live but not running: waiting for its predecessors, suspended, or ready to be claimed. */
  public boolean isQueued() {
    return isLive() && this != RUNNING;
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
    throw Failure.BAD_REQUEST.exception("unknown state " + FieldRule.show(name) + ": use one of " + String.join(", ", where(s -> true)));
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

    public static String words() {
      return String.join(", ", Arrays.stream(values()).map(Action::word).toList());
    }

    public static Action parse(String word) {
      for (Action a : values()) {
        if (a.word().equals(word)) {
          return a;
        }
      }
      throw Failure.BAD_REQUEST.exception("unknown action " + FieldRule.show(word) + ": use one of " + words());
    }
  }

  /** A user's change of one task ({@code PATCH /api/tasks/{id}}): a new priority or an action, exactly one. */
  public record Change(Priority priority, Action action) {
    /** The fields a change may have; a priority is held to the same rule as in a task spec. */
    public static final Map<String, FieldRule> FIELDS = FieldRule.table(TaskSpec.FIELDS.get("priority"),
        FieldRule.oneOf("action", Arrays.stream(Action.values()).map(Action::word).toList()));

    /** Parses a change as a user sends it (without the task's id); a refusal names the field. */
    public static Change fromJson(JsonObject json) {
      FieldRule.refuseUnknown(json, FIELDS);
      String priority = (String) FIELDS.get("priority").check(json.getValue("priority"));
      String action = (String) FIELDS.get("action").check(json.getValue("action"));
      if ((priority == null) == (action == null)) {
        throw Failure.BAD_REQUEST.exception("give either 'priority' or 'action' (" + Action.words() + ")");
      }
      return priority != null ? new Change(Priority.parse(priority), null) : new Change(null, Action.parse(action));
    }

    public JsonObject toJson() {
      return priority != null ? new JsonObject().put("priority", priority.name()) : new JsonObject().put("action", action.word());
    }
  }
}
