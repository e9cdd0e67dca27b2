package dev.taskhub.hub;

import dev.taskhub.api.Finalizer;
import dev.taskhub.api.Task;
import dev.taskhub.store.FinalizationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which endings are recorded for finalization (0007.sql): every one of a task with a {@code finalizeUrl} or of a type
 * some hub's Java finalizer wants — each hub lists its own types when it starts — and every ending that was not the
 * task's own run. For the others no row is written, and the hub that records the ending publishes it on
 * {@code taskhub.tasks.finished} itself. A hub re-reads the list every {@value #REFRESH_MS} ms: a type a hub started
 * since may be published twice in between (once here, once by its finalization), never lost.
 */
final class FinalizedTypes {
  private static final Logger log = LoggerFactory.getLogger(FinalizedTypes.class);
  private static final long REFRESH_MS = 30_000;

  private final FinalizationStore store;
  private volatile Set<String> known;

  private FinalizedTypes(FinalizationStore store, Set<String> known) {
    this.store = store;
    this.known = known;
  }

  /** Lists this hub's finalizers' types, reads every hub's, and re-reads them from now on. */
  static Future<FinalizedTypes> start(Vertx vertx, FinalizationStore store, List<Finalizer> finalizers) {
    Set<String> own = new HashSet<>();
    finalizers.forEach(f -> own.addAll(f.types()));
    return store.registerTypes(own).compose(x -> store.types()).map(types -> {
      FinalizedTypes finalized = new FinalizedTypes(store, types);
      vertx.setPeriodic(REFRESH_MS, id -> finalized.refresh());
      return finalized;
    });
  }

  private void refresh() {
    store.types().onSuccess(types -> known = types)
        .onFailure(e -> log.debug("could not re-read the finalized types: {}", e.toString()));
  }

  /** Whether the ending of {@code task} by its own run has a finalization row, which publishes it. */
  boolean recorded(Task task) {
    Set<String> types = known;
    return task.finalizeUrl() != null || types.contains("*") || types.contains(task.type());
  }
}
