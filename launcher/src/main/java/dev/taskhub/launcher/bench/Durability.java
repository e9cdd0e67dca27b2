package dev.taskhub.launcher.bench;

import dev.taskhub.store.DatabaseServer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The server's settings that decide whether an acknowledged task survives a power cut, as SHOW reports them on the
 * bench's own database (a role or database setting would show there too). Figures from a server with either off
 * do not count: speed bought by risking an acknowledged task is not speed.
 */
record Durability(String fsync, String synchronousCommit, String version, int versionNumber) {

  static Future<Durability> read(DatabaseServer server) {
    return server.settings().map(s -> new Durability(s.fsync(), s.synchronousCommit(), s.version(), s.versionNumber()));
  }

  /** fsync on, and a commit waits for its WAL on disk ({@code local}, {@code remote_write} and the like also do). */
  boolean durable() {
    return "on".equalsIgnoreCase(fsync) && !"off".equalsIgnoreCase(synchronousCommit);
  }

  String describe() {
    return "fsync " + fsync + ", synchronous_commit " + synchronousCommit
        + (durable() ? ": durable" : ": NOT DURABLE, these figures do not count");
  }

  JsonObject toJson() {
    return new JsonObject().put("fsync", fsync).put("synchronousCommit", synchronousCommit).put("durable", durable());
  }
}
