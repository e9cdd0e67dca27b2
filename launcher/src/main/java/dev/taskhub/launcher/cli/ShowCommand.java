package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one task.")
public final class ShowCommand implements Callable<Integer> {

  @Mixin
  ServerOptions server;

  @Parameters(paramLabel = "ID", description = "The task's id.")
  long id;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default) or json.")
  Output output = Output.text;

  @Override
  public Integer call() {
    JsonObject task = server.api().get("/api/tasks/" + id);
    System.out.print(output == Output.json ? task.encodePrettily() + "\n" : TaskText.details(task));
    return ExitCodes.DONE;
  }
}
