package dev.taskhub.api;

import java.util.function.Predicate;

/** Walks a failure's chain of causes: the one place that does, for every message a user or a log gets of one. */
public final class Causes {
  private Causes() {
  }

  /** The innermost cause: what actually went wrong beneath the wrappers (CompletionException and the like). */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /** The first message along the chain that {@code useful} accepts, or null when none does. */
  public static String firstMessage(Throwable e, Predicate<String> useful) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && useful.test(t.getMessage())) {
        return t.getMessage();
      }
    }
    return null;
  }
}
