package dev.taskhub.hub;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Natural batching: requests that arrive while a batch is being written wait and go together in the next one. An idle
 * hub writes a request at once, alone; a busy one writes one statement for many, so the statements and commits per
 * task fall as the load rises, with no timer and no added wait. Requests with different keys (agents that run
 * different types) never share a batch. One batch is written at a time; used from the hub's event loop only.
 */
final class Batcher<K, T, R> {
  private final Function<T, K> keyOf;
  private final BiFunction<K, List<T>, Future<List<R>>> write;
  private final int maxBatch;
  private final Map<K, List<Waiting<T, R>>> queued = new LinkedHashMap<>();
  private boolean writing;

  private record Waiting<T, R>(T item, Promise<R> result) {
  }

  /** {@code write} answers one result per item, in their order. */
  Batcher(Function<T, K> keyOf, BiFunction<K, List<T>, Future<List<R>>> write, int maxBatch) {
    this.keyOf = keyOf;
    this.write = write;
    this.maxBatch = maxBatch;
  }

  Future<R> add(T item) {
    Promise<R> result = Promise.promise();
    queued.computeIfAbsent(keyOf.apply(item), k -> new ArrayList<>()).add(new Waiting<>(item, result));
    if (!writing) {
      writeNext();
    }
    return result.future();
  }

  private void writeNext() {
    Iterator<Map.Entry<K, List<Waiting<T, R>>>> groups = queued.entrySet().iterator();
    if (!groups.hasNext()) {
      writing = false;
      return;
    }
    writing = true;
    Map.Entry<K, List<Waiting<T, R>>> group = groups.next();
    List<Waiting<T, R>> waiting = group.getValue();
    List<Waiting<T, R>> batch;
    if (waiting.size() <= maxBatch) {
      batch = waiting;
      groups.remove();
    } else {
      batch = new ArrayList<>(waiting.subList(0, maxBatch));
      waiting.subList(0, maxBatch).clear();
    }
    Future<List<R>> written;
    try {
      written = write.apply(group.getKey(), batch.stream().map(Waiting::item).toList());
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(ar -> {
      for (int i = 0; i < batch.size(); i++) {
        if (ar.succeeded()) {
          batch.get(i).result().complete(ar.result().get(i));
        } else {
          batch.get(i).result().fail(ar.cause());
        }
      }
      writeNext();
    });
  }
}
