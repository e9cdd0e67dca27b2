package dev.taskhub.api;

/** A refusal with a reason meant for the user: bad input, an unknown id, a lost race, an unavailable database. */
public class TaskhubException extends RuntimeException {
  private final Failure failure;

  public TaskhubException(Failure failure, String message) {
    super(message, null, false, false);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
