package dev.taskhub.launcher.cli;

import picocli.CommandLine.Option;

/** {@code --server} and {@code --token}, shared by every command that talks to a node. */
public final class ServerOptions {

  @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:TASKHUB_SERVER:-http://127.0.0.1:8080}",
      description = "The node's HTTP API (default: $TASKHUB_SERVER, else ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:TASKHUB_TOKEN}",
      description = "An API token (default: $TASKHUB_TOKEN; prefer the variable: options show in the process list).")
  String token;

  TaskhubApi api() {
    return new TaskhubApi(server, token);
  }
}
