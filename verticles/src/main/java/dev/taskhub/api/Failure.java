package dev.taskhub.api;

import io.vertx.core.eventbus.ReplyException;

/**
 * Why an event-bus request failed. The code travels as the {@link ReplyException#failureCode()} and equals the
 * HTTP status the bridge answers with, so a refusal means the same thing on every interface.
 */
public enum Failure {
  BAD_REQUEST(400), NOT_FOUND(404), CONFLICT(409), TOO_LARGE(413), UNAVAILABLE(503), INTERNAL(500);

  public final int code;

  Failure(int code) {
    this.code = code;
  }

  public TaskhubException exception(String message) {
    return new TaskhubException(this, message);
  }

  public static Failure ofCode(int code) {
    for (Failure f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return INTERNAL;
  }
}
