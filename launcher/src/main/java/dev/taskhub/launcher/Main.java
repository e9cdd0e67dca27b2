package dev.taskhub.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code taskhub} command: {@code java -jar taskhub.jar <command>}. */
@Command(name = "taskhub", mixinStandardHelpOptions = true, version = "Taskhub 0.1.0",
    description = "Runs long, heavy or crash-prone background tasks outside the processes that ask for them.",
    footer = {"", "Classic Vert.x deployment (the Vert.x launcher, configured from Taskhub's keys):",
        "  taskhub run <verticle class> [-cluster] [-ha] [-conf file.json] [-instances n]",
        "  taskhub bare | start | stop | list | version"},
    subcommands = {NodeCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    if (args.length > 0 && ClassicLauncher.COMMANDS.contains(args[0])) {
      ClassicLauncher.main(args); // the Vert.x launcher parses its own options and exits by itself
      return;
    }
    CommandLine cli = new CommandLine(new Main());
    // A user sees one line saying what went wrong, never a stack trace.
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("taskhub: " + message(e));
      return 2;
    });
    System.exit(cli.execute(args));
  }

  static String message(Throwable e) {
    while (e.getCause() != null && (e.getMessage() == null || e.getMessage().isBlank())) {
      e = e.getCause();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
