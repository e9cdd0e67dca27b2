package dev.taskhub.launcher;

import dev.taskhub.launcher.cli.CliException;
import dev.taskhub.launcher.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code taskhub stop --pid-file FILE}: sends SIGTERM to the node that {@code taskhub node --pid-file FILE} started, the
 * same as {@code kill -TERM <pid>}, and waits until it has drained and exited. Run it again while the node drains to
 * kill what still runs at once. {@code taskhub stop <vertx-id>} (no {@code --pid-file}) stays the classic launcher's
 * stop, for nodes started with {@code taskhub start}.
 */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stop a node started with taskhub node --pid-file FILE: SIGTERM, as kill -TERM does. The node drains "
        + "(it claims nothing more and lets its running tasks end, for up to node.shutdownGraceSeconds), kills and "
        + "releases what still runs, and exits 0. Run it again while it drains to stop at once.",
        "taskhub stop <vertx-id> stops a node of the classic launcher (taskhub start)."})
final class StopCommand implements Callable<Integer> {

  @Option(names = "--pid-file", required = true, paramLabel = "FILE", description = "The file the node was started with.")
  Path pidFile;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the node to exit (default ${DEFAULT-VALUE}); 0: do not wait.")
  int waitSeconds;

  /** Whether {@code taskhub stop …} is this command rather than the classic launcher's {@code stop <vertx-id>}. */
  static boolean handles(String[] args) {
    return args.length > 0 && args[0].equals("stop")
        && (args.length == 1 || (args[1].startsWith("-") && !args[1].equals("--redeploy")));
  }

  @Override
  public Integer call() throws Exception {
    Optional<ProcessHandle> found;
    try {
      found = PidFile.process(pidFile);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.REFUSED, e.getMessage());
    }
    if (found.isEmpty()) {
      Files.deleteIfExists(pidFile); // left by a node that was killed: it names nothing to stop
      throw new CliException(ExitCodes.REFUSED, "the node of " + pidFile + " is not running (it was killed, or stopped already)");
    }
    ProcessHandle node = found.get();
    if (!node.destroy()) { // SIGTERM: the node drains, then exits 0
      throw new CliException(ExitCodes.REFUSED, "cannot signal process " + node.pid() + " (not ours to stop?)");
    }
    if (waitSeconds == 0) {
      System.out.println("Sent SIGTERM to node process " + node.pid() + ": it drains, then exits");
      return ExitCodes.DONE;
    }
    System.out.println("Node process " + node.pid() + " drains: it lets its running tasks end (node.shutdownGraceSeconds), "
        + "then exits. Run taskhub stop again to kill them now.");
    try {
      node.onExit().get(waitSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException(ExitCodes.REFUSED, "node process " + node.pid() + " still runs after " + waitSeconds + " s");
    }
    System.out.println("Node process " + node.pid() + " stopped");
    return ExitCodes.DONE;
  }
}
