package dev.taskhub.hub;

import dev.taskhub.api.Addresses;
import dev.taskhub.api.TypeSettings;
import dev.taskhub.store.Store;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The hub's answers about per-type settings (set, read one, list), and what keeps every hub's {@link TypeLimits} true:
 * the configuration's {@code types:} applied at start, {@link Addresses#TYPES_CHANGED} after every change (each hub
 * reads the type again and wakes its agents, since a raised limit has room), and a whole read every
 * {@value #REFRESH_MS} ms in case such a message was lost.
 */
final class TypeRequests {
  private static final Logger log = LoggerFactory.getLogger(TypeRequests.class);
  private static final long REFRESH_MS = 10_000;

  private final Vertx vertx;
  private final Store store;
  private final TaskCounts counts;
  private final TypeLimits limits;
  private final Replies replies;
  private final Consumer<Collection<String>> announce;

  TypeRequests(Vertx vertx, Store store, TaskCounts counts, TypeLimits limits, Replies replies,
               Consumer<Collection<String>> announce) {
    this.vertx = vertx;
    this.store = store;
    this.counts = counts;
    this.limits = limits;
    this.replies = replies;
    this.announce = announce;
  }

  /**
   * Applies the settings the configuration gives ({@code types.<type>.*}: the fields it names are set, the others keep
   * what a PUT or another hub's configuration set), then reads every type's.
   */
  Future<Void> start(List<TypeSettings.Change> configured) {
    return store.changeTypeSettings().putAll(configured)
        .map(applied -> {
          for (int i = 0; i < configured.size(); i++) {
            String type = configured.get(i).type();
            log.info("type {}: {} from the configuration, now {}", type, configured.get(i).toJson().encode(),
                applied.get(i).toJson().encode());
            changed(type); // hubs already running read it again
          }
          return null;
        })
        .compose(x -> store.readTypeSettings().all())
        .map(all -> {
          limits.replace(all);
          return null;
        });
  }

  void register() {
    var bus = vertx.eventBus();
    bus.<JsonObject>consumer(Addresses.TYPE_PUT, msg -> replies.answer(msg, this::put));
    bus.<JsonObject>consumer(Addresses.TYPE_GET, msg -> replies.answer(msg, body -> {
      String type = TypeSettings.checkType(body.getString("type"));
      return store.readTypeSettings().get(type).map(settings -> entry(type, settings));
    }));
    bus.<JsonObject>consumer(Addresses.TYPE_LIST, msg -> replies.answer(msg, body -> store.readTypeSettings().all()
        .map(all -> {
          TreeSet<String> types = new TreeSet<>(all.keySet());
          types.addAll(counts.types());
          JsonArray list = new JsonArray();
          types.forEach(type -> list.add(entry(type, all.getOrDefault(type, TypeSettings.NONE))));
          return new JsonObject().put("types", list);
        })));
    bus.<JsonObject>consumer(Addresses.TYPES_CHANGED, msg -> reread(msg.body().getString("type")));
    vertx.setPeriodic(REFRESH_MS, id -> store.readTypeSettings().all()
        .onSuccess(limits::replace)
        .onFailure(e -> log.debug("could not read the type settings again: {}", e.getMessage())));
  }

  private Future<JsonObject> put(JsonObject body) {
    TypeSettings.Change change = TypeSettings.Change.fromJson(body.getString("type"),
        body.getValue("settings") instanceof JsonObject settings ? settings : null);
    return store.changeTypeSettings().put(change).map(settings -> {
      log.info("type {}: {} set, now {}", change.type(), change.toJson().encode(), settings.toJson().encode());
      limits.put(change.type(), settings);
      changed(change.type());
      return entry(change.type(), settings);
    });
  }

  /** Another hub (or this one) changed a type: read it again, and wake its agents if it has room now. */
  private void reread(String type) {
    if (type == null) {
      return;
    }
    store.readTypeSettings().get(type)
        .onSuccess(settings -> {
          limits.put(type, settings);
          announce.accept(List.of(type));
        })
        .onFailure(e -> log.warn("could not read the settings of type {} after a change ({}): read again within {} s",
            type, e.getMessage(), REFRESH_MS / 1000));
  }

  private void changed(String type) {
    vertx.eventBus().publish(Addresses.TYPES_CHANGED, new JsonObject().put("type", type));
  }

  /** {@code {"type", "settings", "counts"}}: what every interface shows of a type (HTTP adds where it runs). */
  private JsonObject entry(String type, TypeSettings settings) {
    return new JsonObject().put("type", type).put("settings", settings.toJson()).put("counts", counts.typeJson(type));
  }
}
