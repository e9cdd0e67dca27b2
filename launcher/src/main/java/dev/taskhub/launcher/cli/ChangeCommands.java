package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** The commands that change one task: each is one PATCH or DELETE, and prints the task's new state. */
public final class ChangeCommands {
  private ChangeCommands() {
  }

  /** {@code PATCH {"action": …}}. */
  abstract static class Action implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The task's id.")
    long id;

    private final String action;

    Action(String action) {
      this.action = action;
    }

    @Override
    public Integer call() {
      JsonObject task = server.api().patch("/api/tasks/" + id, new JsonObject().put("action", action));
      System.out.println(TaskText.headline(task));
      return ExitCodes.DONE;
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true,
      description = "Cancel a task that has not ended; a running executor is killed at once.")
  public static final class Cancel extends Action {
    public Cancel() {
      super("cancel");
    }
  }

  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Run a task that ended (DONE, ERROR or CANCELLED) again, from its first attempt.")
  public static final class Retry extends Action {
    public Retry() {
      super("retry");
    }
  }

  @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Hold a READY task back until it is resumed.")
  public static final class Suspend extends Action {
    public Suspend() {
      super("suspend");
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Make a SUSPENDED task READY again.")
  public static final class Resume extends Action {
    public Resume() {
      super("resume");
    }
  }

  @Command(name = "priority", mixinStandardHelpOptions = true, description = "Change the priority of a task that has not ended.")
  public static final class Priority implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The task's id.")
    long id;

    @Parameters(index = "1", paramLabel = "PRIORITY", description = "Immediately, Important, Normal or Unimportant.")
    String priority;

    @Override
    public Integer call() {
      JsonObject task = server.api().patch("/api/tasks/" + id, new JsonObject().put("priority", priority));
      System.out.println(TaskText.headline(task) + ", priority " + task.getString("priority"));
      return ExitCodes.DONE;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a task that is not running (cancel a running task first).")
  public static final class Delete implements Callable<Integer> {
    @Mixin
    ServerOptions server;

    @Parameters(paramLabel = "ID", description = "The task's id.")
    long id;

    @Override
    public Integer call() {
      server.api().delete("/api/tasks/" + id);
      System.out.println("task " + id + " deleted");
      return ExitCodes.DONE;
    }
  }
}
