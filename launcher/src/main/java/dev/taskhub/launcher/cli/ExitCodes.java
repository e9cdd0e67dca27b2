package dev.taskhub.launcher.cli;

/** The exit codes of the task commands; {@code submit --wait} mirrors the task's outcome. */
public final class ExitCodes {
  /** Done: the command succeeded; the task waited for ended DONE. */
  public static final int DONE = 0;
  /** The task waited for ended in ERROR. */
  public static final int ERROR = 1;
  /** Bad usage, a refusal by the server (4xx/5xx), or no server to talk to. */
  public static final int REFUSED = 2;
  /** The task waited for was CANCELLED. */
  public static final int CANCELLED = 3;

  private ExitCodes() {
  }

  /** The exit code for a task that ended in this state. */
  public static int of(String state) {
    return switch (state) {
      case "DONE" -> DONE;
      case "CANCELLED" -> CANCELLED;
      default -> ERROR;
    };
  }
}
