package dev.taskhub.launcher.cli;

import io.vertx.core.json.JsonObject;

/**
 * Follows one task to its end over its event stream, showing each change. When the stream breaks off (the node
 * restarted, a proxy timed out) it looks at the task and listens again; an unreachable server ends the command.
 */
final class FollowTask {
  private final TaskhubApi api;
  private final ProgressView view; // null: show nothing

  FollowTask(TaskhubApi api, ProgressView view) {
    this.api = api;
    this.view = view;
  }

  /** Returns the task as it ended. */
  JsonObject follow(JsonObject task) {
    long id = task.getLong("id");
    JsonObject[] last = {task};
    show(task);
    while (!isFinal(last[0])) {
      api.events("/api/tasks/" + id + "/events", event -> {
        last[0] = event.data();
        show(last[0]);
      });
      if (!isFinal(last[0])) {
        last[0] = api.get("/api/tasks/" + id);
        if (!isFinal(last[0])) {
          pause();
        }
      }
    }
    if (view != null) {
      view.end(last[0]);
    }
    return last[0];
  }

  private void show(JsonObject task) {
    if (view != null) {
      view.show(task);
    }
  }

  static boolean isFinal(JsonObject task) {
    String state = task.getString("state");
    return "DONE".equals(state) || "ERROR".equals(state) || "CANCELLED".equals(state);
  }

  private static void pause() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.REFUSED, "interrupted");
    }
  }
}
