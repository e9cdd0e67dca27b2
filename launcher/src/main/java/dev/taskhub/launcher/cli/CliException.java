package dev.taskhub.launcher.cli;

/** Ends a command with one line for the user (printed as "taskhub: …") and an exit code from {@link ExitCodes}. */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
