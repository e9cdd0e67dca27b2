package dev.taskhub.hub;

import dev.taskhub.api.Failure;
import dev.taskhub.api.TaskhubException;
import dev.taskhub.store.DatabaseErrors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * Turns a handler's outcome into an event-bus reply. A refusal keeps its code and message; a database that cannot
 * be reached is {@link Failure#UNAVAILABLE}, so callers know to try again; anything else is logged here and
 * answered without its stack trace.
 */
final class Replies {
  private static final Logger log = LoggerFactory.getLogger(Replies.class);

  void answer(Message<JsonObject> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
      result = handler.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(msg::reply).onFailure(e -> fail(msg, e));
  }

  /** Answers a failure: its code, and a message without a stack trace. */
  void fail(Message<?> msg, Throwable e) {
    Failure failure = classify(e);
    String message = e instanceof TaskhubException ? e.getMessage() : describe(failure, e);
    msg.fail(failure.code, message);
  }

  private static Failure classify(Throwable e) {
    if (e instanceof TaskhubException t) {
      return t.failure();
    }
    if (e instanceof ClassCastException || e instanceof IllegalArgumentException || e instanceof NullPointerException) {
      return Failure.BAD_REQUEST;
    }
    // The database is away for now; anything else is a bug of ours, and must not pass for an outage.
    if (DatabaseErrors.isUnavailable(e)) {
      return Failure.UNAVAILABLE;
    }
    return Failure.INTERNAL;
  }

  private static String describe(Failure failure, Throwable e) {
    return switch (failure) {
      case BAD_REQUEST -> "malformed request: " + e.getMessage();
      case UNAVAILABLE -> {
        log.warn("database unavailable: {}", e.toString());
        yield "the database is unavailable (" + e.getMessage() + "): nothing was changed; try again shortly";
      }
      default -> {
        log.error("request failed", e);
        yield "internal error: " + e.getMessage();
      }
    };
  }
}
