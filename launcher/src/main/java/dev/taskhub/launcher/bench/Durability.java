package dev.taskhub.launcher.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

/**
 * The server's settings that decide whether an acknowledged task survives a power cut, as SHOW reports them (through current_setting, its function form) on the
 * bench's own database (a role or database setting would show there too). Figures from a server with either off
 * do not count: speed bought by risking an acknowledged task is not speed.
 */
record Durability(String fsync, String synchronousCommit, String version, int versionNumber) {

  static Future<Durability> read(SqlClient client) {
    return client.query("SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sc, "
            + "current_setting('server_version') AS version, current_setting('server_version_num')::int AS num")
        .execute()
        .map(rows -> {
          Row row = rows.iterator().next();
          return new Durability(row.getString("fsync"), row.getString("sc"), row.getString("version"), row.getInteger("num"));
        });
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
