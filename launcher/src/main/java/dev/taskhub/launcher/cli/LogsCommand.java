package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print a task's log: its executor's standard error and the lines that are not protocol.")
public final class LogsCommand implements Callable<Integer> {
  private static final long POLL_MS = 500;

  @Mixin
  ServerOptions server;

  @Parameters(paramLabel = "ID", description = "The task's id.")
  long id;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until the task ends.")
  boolean follow;

  @Override
  public Integer call() throws InterruptedException {
    TaskhubApi api = server.api();
    String printed = "";
    while (true) {
      JsonObject log = api.get("/api/tasks/" + id + "/log");
      String text = log.getString("log", "");
      System.out.print(newPart(printed, text));
      System.out.flush();
      printed = text;
      if (!follow || FollowTask.isFinal(log)) {
        return ExitCodes.DONE;
      }
      Thread.sleep(POLL_MS);
    }
  }

  /**
   * What {@code now} adds to {@code before}. The stored log is a capped tail, so once it is full its start moves
   * on: then the end of what was printed is found again in the new text, and only what follows it is new.
   */
  static String newPart(String before, String now) {
    if (now.startsWith(before)) {
      return now.substring(before.length());
    }
    String anchor = before.substring(Math.max(0, before.length() - 64));
    for (int at = now.lastIndexOf(anchor); at >= 0; at = at == 0 ? -1 : now.lastIndexOf(anchor, at - 1)) {
      int end = at + anchor.length();
      if (before.endsWith(now.substring(0, end))) {
        return now.substring(end);
      }
    }
    return now; // nothing in common: the log was rewritten (a retry); print it all
  }
}
