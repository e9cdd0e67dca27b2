package dev.taskhub.protocol;

import java.util.Map;

/**
 * The {@code main} of a Java executor: it reads the task, runs the executor, and turns any failure into an
 * {@code ERROR:} line and exit code 1, so that every executor fails the same way the agent understands.
 */
public final class ExecutorMain {

  private ExecutorMain() {}

  /** Runs {@code executor} for the task of this process, then exits the JVM: 0 on success, 1 on any failure. */
  public static void run(String[] args, Executor executor) {
    ProtocolWriter out = new ProtocolWriter();
    int exitCode = run(System.getenv(), args, executor, out);
    System.out.flush();
    System.exit(exitCode);
  }

  /** The exit code the process should end with; writes an ERROR line on failure. Never exits the JVM. */
  static int run(Map<String, String> env, String[] args, Executor executor, ProtocolWriter out) {
    try {
      executor.run(TaskContext.fromEnvironment(env, args), out);
      return 0;
    } catch (Throwable t) {
      // Errors too (OutOfMemoryError, StackOverflowError): the agent should get the reason, not just an exit code.
      try {
        out.error(t);
      } catch (Throwable ignored) {
        // Nothing left to report with; exit code 1 still fails the task.
      }
      return 1;
    }
  }
}
