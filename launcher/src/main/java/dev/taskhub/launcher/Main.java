package dev.taskhub.launcher;

import dev.taskhub.launcher.bench.BenchCommand;
import dev.taskhub.api.Causes;
import dev.taskhub.launcher.cli.ChangeCommands;
import dev.taskhub.launcher.cli.CliException;
import dev.taskhub.launcher.cli.ExitCodes;
import dev.taskhub.launcher.cli.ListCommand;
import dev.taskhub.launcher.cli.LogsCommand;
import dev.taskhub.launcher.cli.ScheduleCommands;
import dev.taskhub.launcher.cli.ShowCommand;
import dev.taskhub.launcher.cli.SubmitCommand;
import dev.taskhub.launcher.cli.TypeCommands;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code taskhub} command: {@code java -jar taskhub.jar <command>}. */
@Command(name = "taskhub", mixinStandardHelpOptions = true, version = "Taskhub 0.1.0",
    description = "Runs long, heavy or crash-prone background tasks outside the processes that ask for them.",
    subcommands = {NodeCommand.class, StopCommand.class, BenchCommand.class, SubmitCommand.class, ListCommand.class, ShowCommand.class, LogsCommand.class,
        ChangeCommands.Cancel.class, ChangeCommands.Delete.class, ChangeCommands.Retry.class, ChangeCommands.Priority.class,
        ChangeCommands.Suspend.class, ChangeCommands.Resume.class, ScheduleCommands.Schedules.class,
        ScheduleCommands.Schedule.class, TypeCommands.Types.class, TypeCommands.Type.class},
    footer = {"", "Exit codes: 0 success (submit --wait: DONE), 1 ERROR, 2 usage error, refusal or no server, 3 CANCELLED.",
        "", "Classic Vert.x deployment (the Vert.x launcher, configured from Taskhub's keys):",
        "  taskhub run <verticle class> [-cluster] [-ha] [-conf file.json] [-instances n]",
        "  taskhub bare | start | stop <vertx-id> | version"})
public final class Main implements Runnable {

  public static void main(String[] args) {
    if (args.length > 0 && ClassicLauncher.COMMANDS.contains(args[0]) && !StopCommand.handles(args)) {
      ClassicLauncher.main(args); // the Vert.x launcher parses its own options and exits by itself
      return;
    }
    CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    // A user sees one line saying what went wrong, never a stack trace.
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("taskhub: " + message(e));
      return e instanceof CliException c ? c.exitCode() : ExitCodes.REFUSED;
    });
    System.exit(cli.execute(args));
  }

  static String message(Throwable e) {
    String message = Causes.firstMessage(e, m -> !m.isBlank());
    return message != null ? message : e.toString();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
