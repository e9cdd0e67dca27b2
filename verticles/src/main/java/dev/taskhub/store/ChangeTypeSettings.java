package dev.taskhub.store;

import dev.taskhub.api.TypeSettings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

import static dev.taskhub.store.ReadTypeSettings.COLUMNS;

/**
 * Changes of per-type settings: the fields a change gives are set (null clears one), the others stay. One statement
 * per type; it takes the type's row lock, so it waits for a claim of that type under way ({@link ClaimWithinLimits})
 * and the next claim counts against the new limit.
 */
public final class ChangeTypeSettings {
  private static final String PUT = "INSERT INTO taskhub.type_setting AS s "
      + "  (type, max_running, max_running_per_node, max_attempts, timeout_seconds, priority) "
      + "VALUES ($1, $2, $3, $4, $5, $6) "
      + "ON CONFLICT (type) DO UPDATE SET "
      + "  max_running = CASE WHEN 'maxRunning' = ANY($7) THEN EXCLUDED.max_running ELSE s.max_running END, "
      + "  max_running_per_node = CASE WHEN 'maxRunningPerNode' = ANY($7) THEN EXCLUDED.max_running_per_node ELSE s.max_running_per_node END, "
      + "  max_attempts = CASE WHEN 'maxAttempts' = ANY($7) THEN EXCLUDED.max_attempts ELSE s.max_attempts END, "
      + "  timeout_seconds = CASE WHEN 'timeoutSeconds' = ANY($7) THEN EXCLUDED.timeout_seconds ELSE s.timeout_seconds END, "
      + "  priority = CASE WHEN 'priority' = ANY($7) THEN EXCLUDED.priority ELSE s.priority END, "
      + "  updated_at = now() "
      + "RETURNING " + COLUMNS;

  private final Pool pool;

  ChangeTypeSettings(Pool pool) {
    this.pool = pool;
  }

  /** Makes the change; the future holds the type's settings as they are now. */
  public Future<TypeSettings> put(TypeSettings.Change change) {
    return put(pool, change);
  }

  /** Makes every change, all or none (the configuration's, at a hub's start); the settings in their order. */
  public Future<List<TypeSettings>> putAll(List<TypeSettings.Change> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.withTransaction(conn -> {
      List<TypeSettings> done = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (TypeSettings.Change change : changes) {
        chain = chain.compose(x -> put(conn, change).map(settings -> {
          done.add(settings);
          return null;
        }));
      }
      return chain.map(x -> done);
    });
  }

  private static Future<TypeSettings> put(SqlClient client, TypeSettings.Change change) {
    TypeSettings v = change.values();
    return Sql.prepared(client, PUT)
        .execute(Tuple.tuple()
            .addString(change.type())                                              // $1
            .addInteger(v.maxRunning())                                            // $2
            .addInteger(v.maxRunningPerNode())                                     // $3
            .addInteger(v.maxAttempts())                                           // $4
            .addInteger(v.timeoutSeconds())                                        // $5
            .addShort(v.priority() == null ? null : (short) v.priority().rank)     // $6
            .addArrayOfString(change.given().toArray(new String[0])))              // $7 the fields to set; others stay
        .map(rows -> ReadTypeSettings.settings(rows.iterator().next()));
  }
}
