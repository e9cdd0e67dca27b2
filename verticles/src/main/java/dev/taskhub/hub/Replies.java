package dev.taskhub.hub;

import dev.taskhub.api.Failure;
import dev.taskhub.api.TaskhubException;
import io.vertx.core.Future;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
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
    result.onSuccess(msg::reply).onFailure(e -> {
      Failure failure = classify(e);
      String message = e instanceof TaskhubException ? e.getMessage() : describe(failure, e);
      msg.fail(failure.code, message);
    });
  }

  private static Failure classify(Throwable e) {
    if (e instanceof TaskhubException t) {
      return t.failure();
    }
    if (e instanceof ClassCastException || e instanceof IllegalArgumentException || e instanceof NullPointerException) {
      return Failure.BAD_REQUEST;
    }
    if (e instanceof PgException pg) {
      // Class 08 (connection exception) and 57P (the server is shutting down or starting up): the database is away.
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return state.startsWith("08") || state.startsWith("57P") ? Failure.UNAVAILABLE : Failure.INTERNAL;
    }
    // Connection refused (an IOException), closed (ClosedConnectionException, a VertxException) or timed out: the
    // database is away for now. Anything else is a bug of ours, and must not pass for an outage.
    if (e instanceof IOException || e instanceof VertxException || e instanceof TimeoutException) {
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
