package dev.taskhub.api;

import java.util.Set;

/**
 * Java code run by a hub once a task has ended (DONE, ERROR or CANCELLED). Implementations are found with
 * {@link java.util.ServiceLoader} on the hub's class path: list them in
 * {@code META-INF/services/dev.taskhub.api.Finalizer}.
 *
 * <p>A finished task is finalized once: the hub records it in the database and retries a finalizer that throws
 * (with backoff, up to {@code finalizer.maxAttempts}). A hub that dies while a finalizer runs cannot record that it
 * ran, so another hub runs it again: make {@link #onFinished} idempotent on the task id.
 */
public interface Finalizer {

  /** The task types this finalizer wants; {@code "*"} means every type. */
  Set<String> types();

  /** Called on a worker thread, so it may block (within {@code finalizer.timeoutSeconds}); throw to be retried. */
  void onFinished(Task task) throws Exception;

  default boolean supports(String type) {
    Set<String> types = types();
    return types.contains("*") || types.contains(type);
  }
}
