package dev.taskhub.api;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Task priority; {@link #rank} is what the database orders by (lower runs first). */
public enum Priority {
  Immediately(0), Important(1), Normal(2), Unimportant(3);

  public final int rank;

  Priority(int rank) {
    this.rank = rank;
  }

  public static Priority ofRank(int rank) {
    return values()[rank];
  }

  /** Case-insensitive; anything else is a {@link Failure#BAD_REQUEST} naming the accepted values. */
  public static Priority parse(String name) {
    for (Priority p : values()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw Failure.BAD_REQUEST.exception("unknown priority '" + name + "': use one of " + names());
  }

  public static String names() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
